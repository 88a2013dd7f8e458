package io.jdqlite.node.admin;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineException;
import io.jdqlite.engine.ErrorCodes;
import io.jdqlite.engine.Member;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The admin API's error answers: always JSON {@code {"error": ...}}, with a status that says who is at fault. */
final class AdminErrors {
    private AdminErrors() {
    }

    static BadRequestException badRequest(String message) {
        return new BadRequestException(json(Response.Status.BAD_REQUEST.getStatusCode(), Map.of("error", message)));
    }

    /** 409 with where the leader is, so the caller can retry there. */
    static Response notLeader(Engine engine) {
        Optional<Member> leader = engine.leader();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "not leader");
        body.put("leaderId", leader.map(Member::id).orElse(0L));
        body.put("leaderAddress", leader.map(Member::address).orElse(null));
        return json(Response.Status.CONFLICT.getStatusCode(), body);
    }

    /** Maps a failed engine operation to a response; non-engine failures are server errors. */
    static Response fromFailure(Throwable failure, Engine engine) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (!(t instanceof EngineException e)) {
            return json(500, Map.of("error", String.valueOf(t)));
        }
        if (e.code() == ErrorCodes.SQLITE_IOERR_NOT_LEADER) {
            return notLeader(engine);
        }
        return json(statusFor(e.code()), Map.of("error", String.valueOf(e.getMessage()), "code", e.code()));
    }

    static int statusFor(int code) {
        return switch (code) {
            case ErrorCodes.SQLITE_NOTFOUND -> 404;
            // the request contradicts the cluster's state (e.g. duplicate id, removing the last voter)
            case ErrorCodes.SQLITE_ERROR -> 409;
            case ErrorCodes.SQLITE_MISUSE, ErrorCodes.SQLITE_RANGE -> 400;
            // transient: retrying later may succeed
            case ErrorCodes.SQLITE_BUSY, ErrorCodes.SQLITE_IOERR_LEADERSHIP_LOST -> 503;
            default -> 500;
        };
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
