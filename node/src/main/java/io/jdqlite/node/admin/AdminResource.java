package io.jdqlite.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.EngineStatus;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.wire.HostPort;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Cluster administration over HTTP: status, membership changes and leadership transfer. */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class AdminResource {
    @Inject
    Engine engine;

    @GET
    @Path("/status")
    public EngineStatus status() {
        return engine.status();
    }

    /** dqlite's ADD, then ASSIGN unless the new member stays a spare. */
    @POST
    @Path("/members")
    public CompletionStage<Response> add(MemberRequest req) {
        if (req == null || req.id() == null || req.id() == 0) {
            throw AdminErrors.badRequest("body must be {\"id\": <non-zero id>, \"address\": \"host:port\", \"role\": "
                    + "\"voter|standby|spare\"}");
        }
        String address = requireHostPort("address", req.address());
        String raftAddress = req.raftAddress() != null
                ? requireHostPort("raftAddress", req.raftAddress())
                : requireHostPort("raftAddress (address port + 1000)",
                        EngineConfig.raftAddressFor(address, EngineConfig.DEFAULT_RAFT_PORT_OFFSET));
        Role role = parseRole(req.role() == null ? "voter" : req.role());
        Member member = new Member(req.id(), address, raftAddress, Role.SPARE);
        return onLeader(() -> engine.add(member)
                        .thenCompose(v -> role == Role.SPARE ? CompletableFuture.completedFuture(null)
                                : engine.assign(member.id(), role)),
                this::members);
    }

    /** dqlite's ASSIGN. */
    @PUT
    @Path("/members/{id}/role")
    public CompletionStage<Response> assign(@PathParam("id") String id, RoleRequest req) {
        long nodeId = parseId(id);
        if (req == null || req.role() == null) {
            throw AdminErrors.badRequest("body must be {\"role\": \"voter|standby|spare\"}");
        }
        Role role = parseRole(req.role());
        return onLeader(() -> engine.assign(nodeId, role), this::members);
    }

    /** dqlite's REMOVE. */
    @DELETE
    @Path("/members/{id}")
    public CompletionStage<Response> remove(@PathParam("id") String id) {
        long nodeId = parseId(id);
        return onLeader(() -> engine.remove(nodeId), this::members);
    }

    /** dqlite's TRANSFER; id 0 picks any other voter. */
    @POST
    @Path("/transfer")
    public CompletionStage<Response> transfer(TransferRequest req) {
        if (req == null || req.id() == null) {
            throw AdminErrors.badRequest("body must be {\"id\": <voter id, or 0 for any voter>}");
        }
        return onLeader(() -> engine.transfer(req.id()), () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("leaderId", engine.leader().map(Member::id).orElse(0L));
            body.put("leaderAddress", engine.leader().map(Member::address).orElse(null));
            return body;
        });
    }

    /** Bodies that do not bind to the request record (wrong types, wrong shape). */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return AdminErrors.json(400, Map.of("error", "bad JSON: " + e.getOriginalMessage()));
    }

    /** Unparsable bodies reach us wrapped, with an empty 400: give them a reason. */
    @ServerExceptionMapper
    public Response badRequestBody(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        return e.getResponse();
    }

    /** Mutations go to the leader: elsewhere answer 409 with its whereabouts instead of failing later. */
    private CompletionStage<Response> onLeader(Supplier<CompletableFuture<Void>> op, Supplier<Object> result) {
        if (!engine.isLeader()) {
            return CompletableFuture.completedFuture(AdminErrors.notLeader(engine));
        }
        CompletableFuture<Void> future;
        try {
            future = op.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.handle((v, err) -> err == null
                ? Response.ok(result.get()).type(MediaType.APPLICATION_JSON_TYPE).build()
                : AdminErrors.fromFailure(err, engine));
    }

    private Object members() {
        return Map.of("members", engine.members());
    }

    static Role parseRole(String role) {
        try {
            return Role.valueOf(role.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw AdminErrors.badRequest("unknown role '" + role + "': expected voter, standby or spare");
        }
    }

    private static long parseId(String id) {
        try {
            long v = Long.parseUnsignedLong(id);
            if (v != 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw AdminErrors.badRequest("bad node id '" + id + "': expected a non-zero unsigned integer");
    }

    private static String requireHostPort(String field, String value) {
        if (value == null) {
            throw AdminErrors.badRequest("missing \"" + field + "\" (host:port)");
        }
        try {
            HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw AdminErrors.badRequest("\"" + field + "\": " + e.getMessage());
        }
        return value;
    }
}
