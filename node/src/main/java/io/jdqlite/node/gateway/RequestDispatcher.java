package io.jdqlite.node.gateway;

import io.jdqlite.engine.DatabaseDump;
import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.EngineException;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.engine.Session;
import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.FilesStream;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.ProtocolException;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Serves the requests of one connection with the engine, as dqlite's gateway does. Each call
 * returns a future of either a {@link Response}, or, for QUERY/QUERY_SQL, a
 * {@link io.jdqlite.engine.QueryResult} that the connection sends in pages, or, for DUMP, a
 * {@link DatabaseDump} that it sends from its file. Failures are turned
 * into FAILURE responses here, so the future always completes normally.
 */
final class RequestDispatcher {
    /** dqlite's default heartbeat timeout (ms), sent in WELCOME. */
    static final long HEARTBEAT_TIMEOUT_MS = 15_000;

    private final Engine engine;
    private final NodeMetadata metadata;
    /** The connection's event loop: the session's answers complete there, with no hand-off in between. */
    private final Executor replies;
    /** The connection's database session after OPEN (dqlite allows one per connection, id 0). */
    private Session session;

    RequestDispatcher(Engine engine, NodeMetadata metadata, Executor replies) {
        this.engine = engine;
        this.metadata = metadata;
        this.replies = replies;
    }

    CompletableFuture<Object> handle(Object message) {
        CompletableFuture<?> result;
        try {
            result = message instanceof Request r ? dispatch(r) : malformed((MalformedRequest) message);
        } catch (Throwable t) {
            result = CompletableFuture.failedFuture(t);
        }
        return result.handle((value, error) -> error == null ? value : failure(error));
    }

    /** Stops the query running for this connection, if it runs on a committed snapshot. */
    void interruptQuery() {
        if (session != null) {
            session.interrupt();
        }
    }

    /** Releases the session, rolling back an open transaction. */
    void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    private CompletableFuture<?> malformed(MalformedRequest m) {
        return done(new Response.Failure(m.code(), m.message()));
    }

    private CompletableFuture<?> dispatch(Request request) {
        if (request instanceof Request.Leader) {
            return done(leader());
        } else if (request instanceof Request.Client) {
            return done(new Response.Welcome(HEARTBEAT_TIMEOUT_MS));
        } else if (request instanceof Request.Heartbeat) {
            // dqlite 1.x servers no longer implement HEARTBEAT: they answer it as an unknown request
            return done(new Response.Failure(ErrorCodes.DQLITE_PARSE, "unrecognized request type"));
        } else if (request instanceof Request.Open o) {
            return done(open(o));
        } else if (request instanceof Request.Prepare p) {
            return withSession(p.dbId(), s -> s.prepare(p.sql()).thenApply(info ->
                    p.schema() == Protocol.PREPARE_SCHEMA_V0
                            ? new Response.Stmt(0, info.id(), info.paramCount())
                            // schema 1: where the unprepared rest of the text starts, so the client can
                            // prepare the next statement from there
                            : new Response.StmtWithOffset(0, info.id(), info.paramCount(), info.tailOffset())));
        } else if (request instanceof Request.Exec e) {
            return withSession(e.dbId(), s -> s.exec(statementId(e.stmtId()), params(e.params()))
                    .thenApply(RequestDispatcher::result));
        } else if (request instanceof Request.Query q) {
            return withSession(q.dbId(), s -> s.query(statementId(q.stmtId()), params(q.params())));
        } else if (request instanceof Request.Finalize f) {
            return withSession(f.dbId(), s -> s.finalizeStatement(statementId(f.stmtId()))
                    .thenApply(v -> new Response.Empty()));
        } else if (request instanceof Request.ExecSql e) {
            return withSession(e.dbId(), s -> s.execSql(e.sql(), params(e.params()))
                    .thenApply(RequestDispatcher::result));
        } else if (request instanceof Request.QuerySql q) {
            return withSession(q.dbId(), s -> s.querySql(q.sql(), params(q.params())));
        } else if (request instanceof Request.Interrupt) {
            return done(new Response.Empty());
        } else if (request instanceof Request.Add a) {
            // jdqlite joiners with a non-default Raft port send "client/raft"; dqlite clients send the client address.
            int slash = a.address().indexOf('/');
            String client = slash < 0 ? a.address() : a.address().substring(0, slash);
            String raft = slash < 0 ? EngineConfig.raftAddressFor(client, EngineConfig.DEFAULT_RAFT_PORT_OFFSET)
                    : a.address().substring(slash + 1);
            return engine.add(new Member(a.id(), client, raft, Role.SPARE)).thenApply(v -> new Response.Empty());
        } else if (request instanceof Request.Assign a) {
            return engine.assign(a.id(), Role.fromCode(a.role())).thenApply(v -> new Response.Empty());
        } else if (request instanceof Request.Remove r) {
            return engine.remove(r.id()).thenApply(v -> new Response.Empty());
        } else if (request instanceof Request.Transfer t) {
            return engine.transfer(t.id()).thenApply(v -> new Response.Empty());
        } else if (request instanceof Request.Dump d) {
            return engine.dump(d.name()).thenApply(RequestDispatcher::dumpAnswer);
        } else if (request instanceof Request.Cluster c) {
            return done(cluster(c.format()));
        } else if (request instanceof Request.Describe d) {
            return done(d.format() != Protocol.DESCRIBE_FORMAT_V0
                    ? new Response.Failure(ErrorCodes.SQLITE_PROTOCOL, "bad format version")
                    : new Response.Metadata(metadata.failureDomain(), metadata.weight()));
        } else if (request instanceof Request.Weight w) {
            metadata.setWeight(w.weight());
            return done(new Response.Empty());
        }
        return done(new Response.Failure(ErrorCodes.DQLITE_PARSE, "unrecognized request type"));
    }

    /**
     * A dump is answered from its file by the connection ({@link DumpSender}), with no size limit but the
     * message header's: what it cannot announce is refused.
     */
    private static Object dumpAnswer(DatabaseDump dump) {
        try {
            FilesStream.bodyLength(DumpSender.files(dump));
            return dump;
        } catch (ProtocolException e) {
            dump.close();
            return new Response.Failure(e.code(), "database " + dump.name() + " is " + dump.size() + " bytes: "
                    + e.getMessage());
        }
    }

    private Response leader() {
        // as dqlite: only a voter may answer who the leader is
        long self = engine.nodeId();
        boolean voter = engine.members().stream().anyMatch(m -> m.id() == self && m.role() == Role.VOTER);
        Optional<Member> leader = voter ? engine.leader() : Optional.empty();
        return leader.map(m -> new Response.Server(m.id(), m.address())).orElse(new Response.Server(0, ""));
    }

    private Response open(Request.Open o) {
        if (session != null) {
            return new Response.Failure(ErrorCodes.SQLITE_BUSY, "a database for this connection is already open");
        }
        if (!engine.isLeader()) {
            return new Response.Failure(ErrorCodes.SQLITE_IOERR_NOT_LEADER, "not leader");
        }
        session = engine.openSession(o.name(), replies);
        return new Response.Db(0);
    }

    private Response cluster(long format) {
        if (format != Protocol.CLUSTER_FORMAT_V0 && format != Protocol.CLUSTER_FORMAT_V1) {
            return new Response.Failure(ErrorCodes.DQLITE_PARSE, "unrecognized cluster format");
        }
        List<Response.ServerInfo> servers = engine.members().stream()
                .map(m -> new Response.ServerInfo(m.id(), m.address(), m.role().code())).toList();
        return new Response.Servers(servers, (int) format);
    }

    private interface SessionCall {
        CompletableFuture<?> apply(Session s);
    }

    private CompletableFuture<?> withSession(long dbId, SessionCall call) {
        if (dbId != 0 || session == null) {
            return done(new Response.Failure(ErrorCodes.SQLITE_NOTFOUND, "no database opened"));
        }
        return call.apply(session);
    }

    private static int statementId(long id) {
        if (id > Integer.MAX_VALUE) {
            throw new EngineException(ErrorCodes.SQLITE_NOTFOUND, "no statement with the given id");
        }
        return (int) id;
    }

    private static Response result(io.jdqlite.engine.ExecResult r) {
        return new Response.Result(r.lastInsertId(), r.rowsAffected());
    }

    /** Wire values as the engine binds them: dates as their integer/text, booleans as 0/1. */
    private static List<Object> params(List<Value> values) {
        List<Object> out = new ArrayList<>(values.size());
        for (Value v : values) {
            out.add(v.value() instanceof Boolean b ? (Object) (b ? 1L : 0L) : v.value());
        }
        return out;
    }

    private static CompletableFuture<Object> done(Object response) {
        return CompletableFuture.completedFuture(response);
    }

    private static Response failure(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof EngineException e) {
            return new Response.Failure(e.code(), message(e));
        }
        if (t instanceof IllegalArgumentException) {
            return new Response.Failure(ErrorCodes.SQLITE_MISUSE, message(t));
        }
        return new Response.Failure(ErrorCodes.SQLITE_ERROR, message(t));
    }

    private static String message(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace('\0', ' ');
    }
}
