package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A client request. Field layouts follow dqlite's {@code src/request.h}; uint32 fields are held
 * in {@code long}s and must fit 32 bits. {@link #writeTo} encodes a whole message (header and
 * body), {@link #read} decodes one body.
 */
public sealed interface Request {
    RequestType type();

    /** The header's schema byte. */
    default int schema() {
        return 0;
    }

    /** Appends the body fields (the header is handled by {@link #writeTo}). */
    void writeBody(MessageWriter w);

    /** Appends this request as a complete message. */
    default MessageWriter writeTo(MessageWriter w) {
        w.begin(type().code(), schema());
        writeBody(w);
        w.end();
        return w;
    }

    /** This request as a complete message (header and body). */
    default byte[] toBytes() {
        return writeTo(new MessageWriter()).toByteArray();
    }

    /**
     * Decodes the body of a request whose header is {@code header}. Trailing bytes after the known
     * fields are ignored, as dqlite does.
     *
     * @throws ProtocolException for unknown types or schemas and malformed bodies
     */
    static Request read(MessageHeader header, ByteBuffer body) {
        if (body.remaining() < header.bodyLength()) {
            throw new ProtocolException("truncated message: body of " + header.bodyLength() + " bytes, "
                    + body.remaining() + " available");
        }
        MessageReader r = new MessageReader(body.duplicate().limit(body.position() + header.bodyLength()));
        RequestType type = RequestType.fromCode(header.type());
        if (type == null) {
            throw new ProtocolException("unrecognized request type " + header.type());
        }
        int schema = header.schema();
        if (type != RequestType.PREPARE && !takesParams(type) && schema != 0) {
            throw new ProtocolException("unrecognized schema version " + schema + " for " + type);
        }
        return switch (type) {
            case LEADER -> {
                r.getUint64();
                yield new Leader();
            }
            case CLIENT -> new Client(r.getUint64());
            case HEARTBEAT -> new Heartbeat(r.getUint64());
            case OPEN -> new Open(r.getText(), r.getUint64(), r.getText());
            case PREPARE -> {
                if (schema > Protocol.PREPARE_SCHEMA_V1) {
                    throw new ProtocolException(ErrorCodes.SQLITE_ERROR, "unrecognized schema version " + schema);
                }
                yield new Prepare(r.getUint64(), r.getText(), schema);
            }
            case EXEC -> new Exec(r.getUint32(), r.getUint32(), r.getParams(paramsSchema(schema)));
            case QUERY -> new Query(r.getUint32(), r.getUint32(), r.getParams(paramsSchema(schema)));
            case FINALIZE -> new Finalize(r.getUint32(), r.getUint32());
            case EXEC_SQL -> new ExecSql(r.getUint64(), r.getText(), r.getParams(paramsSchema(schema)));
            case QUERY_SQL -> new QuerySql(r.getUint64(), r.getText(), r.getParams(paramsSchema(schema)));
            case INTERRUPT -> new Interrupt(r.getUint64());
            case CONNECT -> throw new ProtocolException("unsupported request type 11 (CONNECT is internal to dqlite nodes)");
            case ADD -> new Add(r.getUint64(), r.getText());
            // the legacy PROMOTE request has no role: it promotes to voter
            case ASSIGN -> new Assign(r.getUint64(), r.hasRemaining() ? r.getUint64() : 0);
            case REMOVE -> new Remove(r.getUint64());
            case DUMP -> new Dump(r.getText());
            case CLUSTER -> new Cluster(r.getUint64());
            case TRANSFER -> new Transfer(r.getUint64());
            case DESCRIBE -> new Describe(r.getUint64());
            case WEIGHT -> new Weight(r.getUint64());
        };
    }

    private static boolean takesParams(RequestType t) {
        return t == RequestType.EXEC || t == RequestType.QUERY || t == RequestType.EXEC_SQL || t == RequestType.QUERY_SQL;
    }

    private static int paramsSchema(int schema) {
        if (schema != Protocol.PARAMS_SCHEMA_V0 && schema != Protocol.PARAMS_SCHEMA_V1) {
            throw new ProtocolException(ErrorCodes.SQLITE_ERROR, "unrecognized schema version " + schema);
        }
        return schema;
    }

    /** The smallest schema able to carry {@code params}. */
    private static int schemaFor(List<Value> params) {
        return params.size() > 255 ? Protocol.PARAMS_SCHEMA_V1 : Protocol.PARAMS_SCHEMA_V0;
    }

    private static long uint32(long v, String name) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException(name + " must fit in 32 bits: " + v);
        }
        return v;
    }

    /** Who is the leader? Answered by {@link Response.Server}. */
    record Leader() implements Request {
        public RequestType type() { return RequestType.LEADER; }
        public void writeBody(MessageWriter w) { w.putUint64(0); }
    }

    /** Registers a client id; answered by {@link Response.Welcome}. */
    record Client(long id) implements Request {
        public RequestType type() { return RequestType.CLIENT; }
        public void writeBody(MessageWriter w) { w.putUint64(id); }
    }

    /** Legacy heartbeat carrying a timestamp. */
    record Heartbeat(long timestamp) implements Request {
        public RequestType type() { return RequestType.HEARTBEAT; }
        public void writeBody(MessageWriter w) { w.putUint64(timestamp); }
    }

    /** Opens database {@code name}; answered by {@link Response.Db}. */
    record Open(String name, long flags, String vfs) implements Request {
        public Open {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(vfs, "vfs");
        }
        public RequestType type() { return RequestType.OPEN; }
        public void writeBody(MessageWriter w) { w.putText(name).putUint64(flags).putText(vfs); }
    }

    /**
     * Prepares {@code sql}. Schema 0 allows one statement and is answered by {@link Response.Stmt};
     * schema 1 allows a tail and is answered by {@link Response.StmtWithOffset}.
     */
    record Prepare(long dbId, String sql, int schema) implements Request {
        public Prepare {
            Objects.requireNonNull(sql, "sql");
            if (schema != Protocol.PREPARE_SCHEMA_V0 && schema != Protocol.PREPARE_SCHEMA_V1) {
                throw new IllegalArgumentException("unknown prepare schema " + schema);
            }
        }
        public Prepare(long dbId, String sql) { this(dbId, sql, Protocol.PREPARE_SCHEMA_V0); }
        public RequestType type() { return RequestType.PREPARE; }
        public void writeBody(MessageWriter w) { w.putUint64(dbId).putText(sql); }
    }

    /** Executes prepared statement {@code stmtId}; answered by {@link Response.Result}. */
    record Exec(long dbId, long stmtId, List<Value> params) implements Request {
        public Exec {
            uint32(dbId, "dbId");
            uint32(stmtId, "stmtId");
            params = List.copyOf(params);
        }
        public RequestType type() { return RequestType.EXEC; }
        public int schema() { return schemaFor(params); }
        public void writeBody(MessageWriter w) { w.putUint32(dbId).putUint32(stmtId).putParams(params, schema()); }
    }

    /** Runs prepared statement {@code stmtId}; answered by one or more {@link Response.Rows}. */
    record Query(long dbId, long stmtId, List<Value> params) implements Request {
        public Query {
            uint32(dbId, "dbId");
            uint32(stmtId, "stmtId");
            params = List.copyOf(params);
        }
        public RequestType type() { return RequestType.QUERY; }
        public int schema() { return schemaFor(params); }
        public void writeBody(MessageWriter w) { w.putUint32(dbId).putUint32(stmtId).putParams(params, schema()); }
    }

    /** Releases prepared statement {@code stmtId}; answered by {@link Response.Empty}. */
    record Finalize(long dbId, long stmtId) implements Request {
        public Finalize {
            uint32(dbId, "dbId");
            uint32(stmtId, "stmtId");
        }
        public RequestType type() { return RequestType.FINALIZE; }
        public void writeBody(MessageWriter w) { w.putUint32(dbId).putUint32(stmtId); }
    }

    /** Executes one or more statements; answered by {@link Response.Result}. */
    record ExecSql(long dbId, String sql, List<Value> params) implements Request {
        public ExecSql {
            Objects.requireNonNull(sql, "sql");
            params = List.copyOf(params);
        }
        public RequestType type() { return RequestType.EXEC_SQL; }
        public int schema() { return schemaFor(params); }
        public void writeBody(MessageWriter w) { w.putUint64(dbId).putText(sql).putParams(params, schema()); }
    }

    /** Runs one statement; answered by one or more {@link Response.Rows}. */
    record QuerySql(long dbId, String sql, List<Value> params) implements Request {
        public QuerySql {
            Objects.requireNonNull(sql, "sql");
            params = List.copyOf(params);
        }
        public RequestType type() { return RequestType.QUERY_SQL; }
        public int schema() { return schemaFor(params); }
        public void writeBody(MessageWriter w) { w.putUint64(dbId).putText(sql).putParams(params, schema()); }
    }

    /** Stops a query that is still sending rows; the server ends with {@link Response.Empty}. */
    record Interrupt(long dbId) implements Request {
        public RequestType type() { return RequestType.INTERRUPT; }
        public void writeBody(MessageWriter w) { w.putUint64(dbId); }
    }

    /** Adds node {@code id} at client address {@code address} as a spare; answered by {@link Response.Empty}. */
    record Add(long id, String address) implements Request {
        public Add {
            Objects.requireNonNull(address, "address");
        }
        public RequestType type() { return RequestType.ADD; }
        public void writeBody(MessageWriter w) { w.putUint64(id).putText(address); }
    }

    /** Gives node {@code id} role {@code role} (0 voter, 1 stand-by, 2 spare). */
    record Assign(long id, long role) implements Request {
        public RequestType type() { return RequestType.ASSIGN; }
        public void writeBody(MessageWriter w) { w.putUint64(id).putUint64(role); }
    }

    /** Removes node {@code id}; answered by {@link Response.Empty}. */
    record Remove(long id) implements Request {
        public RequestType type() { return RequestType.REMOVE; }
        public void writeBody(MessageWriter w) { w.putUint64(id); }
    }

    /** Asks for database {@code name}'s files; answered by {@link Response.Files}. */
    record Dump(String name) implements Request {
        public Dump {
            Objects.requireNonNull(name, "name");
        }
        public RequestType type() { return RequestType.DUMP; }
        public void writeBody(MessageWriter w) { w.putText(name); }
    }

    /** Asks for the members in {@code format} 0 (id, address) or 1 (id, address, role). */
    record Cluster(long format) implements Request {
        public RequestType type() { return RequestType.CLUSTER; }
        public void writeBody(MessageWriter w) { w.putUint64(format); }
    }

    /** Transfers leadership to node {@code id} (0: the server picks); answered by {@link Response.Empty}. */
    record Transfer(long id) implements Request {
        public RequestType type() { return RequestType.TRANSFER; }
        public void writeBody(MessageWriter w) { w.putUint64(id); }
    }

    /** Asks this node's failure domain and weight; answered by {@link Response.Metadata}. */
    record Describe(long format) implements Request {
        public RequestType type() { return RequestType.DESCRIBE; }
        public void writeBody(MessageWriter w) { w.putUint64(format); }
    }

    /** Sets this node's weight; answered by {@link Response.Empty}. */
    record Weight(long weight) implements Request {
        public RequestType type() { return RequestType.WEIGHT; }
        public void writeBody(MessageWriter w) { w.putUint64(weight); }
    }
}
