package io.jdqlite.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A server response. Field layouts follow dqlite's {@code src/response.h} and {@code src/gateway.c};
 * uint32 fields are held in {@code long}s and must fit 32 bits.
 */
public sealed interface Response {
    ResponseType type();

    default int schema() {
        return 0;
    }

    void writeBody(MessageWriter w);

    default MessageWriter writeTo(MessageWriter w) {
        w.begin(type().code(), schema());
        writeBody(w);
        w.end();
        return w;
    }

    default byte[] toBytes() {
        return writeTo(new MessageWriter()).toByteArray();
    }

    /** Decodes a response body; a SERVERS body is read as CLUSTER format 1 (what clients ask for). */
    static Response read(MessageHeader header, ByteBuffer body) {
        return read(header, body, Protocol.CLUSTER_FORMAT_V1);
    }

    /**
     * Decodes a response body. {@code clusterFormat} is the format of the CLUSTER request being
     * answered: SERVERS does not say which one it uses.
     *
     * @throws ProtocolException for unknown types and malformed bodies
     */
    static Response read(MessageHeader header, ByteBuffer body, long clusterFormat) {
        if (body.remaining() < header.bodyLength()) {
            throw new ProtocolException("truncated message: body of " + header.bodyLength() + " bytes, "
                    + body.remaining() + " available");
        }
        MessageReader r = new MessageReader(body.duplicate().limit(body.position() + header.bodyLength()));
        ResponseType type = ResponseType.fromCode(header.type());
        if (type == null) {
            throw new ProtocolException("unrecognized response type " + header.type());
        }
        return switch (type) {
            case FAILURE -> new Failure(r.getUint64(), r.getText());
            case SERVER -> new Server(r.getUint64(), r.getText());
            case WELCOME -> new Welcome(r.getUint64());
            case SERVERS -> {
                if (clusterFormat != Protocol.CLUSTER_FORMAT_V0 && clusterFormat != Protocol.CLUSTER_FORMAT_V1) {
                    throw new IllegalArgumentException("unknown cluster format " + clusterFormat);
                }
                int n = r.checkedCount(r.getUint64(), clusterFormat == 0 ? 16 : 24, "servers");
                List<ServerInfo> servers = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long id = r.getUint64();
                    String address = r.getText();
                    long role = clusterFormat == Protocol.CLUSTER_FORMAT_V1 ? r.getUint64() : 0;
                    servers.add(new ServerInfo(id, address, role));
                }
                yield new Servers(servers, (int) clusterFormat);
            }
            case DB -> {
                long id = r.getUint32();
                r.getUint32();
                yield new Db(id);
            }
            case STMT -> switch (header.schema()) {
                case Protocol.PREPARE_SCHEMA_V0 -> new Stmt(r.getUint32(), r.getUint32(), r.getUint64());
                case Protocol.PREPARE_SCHEMA_V1 ->
                        new StmtWithOffset(r.getUint32(), r.getUint32(), r.getUint64(), r.getUint64());
                default -> throw new ProtocolException("unrecognized STMT schema " + header.schema());
            };
            case RESULT -> new Result(r.getUint64(), r.getUint64());
            case ROWS -> readRows(r);
            case EMPTY -> {
                r.getUint64();
                yield new Empty();
            }
            case FILES -> {
                int n = r.checkedCount(r.getUint64(), 16, "files");
                List<FileEntry> files = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String name = r.getText();
                    files.add(new FileEntry(name, r.getBytes(r.getUint64())));
                }
                yield new Files(files);
            }
            case METADATA -> new Metadata(r.getUint64(), r.getUint64());
        };
    }

    private static Rows readRows(MessageReader r) {
        int columnCount = r.checkedCount(r.getUint64(), 8, "columns");
        List<String> columns = new ArrayList<>(columnCount);
        for (int i = 0; i < columnCount; i++) {
            columns.add(r.getText());
        }
        List<List<Value>> rows = new ArrayList<>();
        while (true) {
            long word = r.peekUint64();
            if (word == Protocol.ROWS_DONE || word == Protocol.ROWS_PART) {
                r.getUint64();
                return new Rows(columns, rows, word == Protocol.ROWS_DONE);
            }
            if (columnCount == 0) {
                throw new ProtocolException("malformed ROWS: no columns but no end marker");
            }
            rows.add(r.getRow(columnCount));
        }
    }

    /** An error: SQLite/dqlite {@code code} and message. */
    record Failure(long code, String message) implements Response {
        public Failure {
            Objects.requireNonNull(message, "message");
        }
        public ResponseType type() { return ResponseType.FAILURE; }
        public void writeBody(MessageWriter w) { w.putUint64(code).putText(message); }
    }

    /** The leader (answer to LEADER): id 0 and empty address when unknown. */
    record Server(long id, String address) implements Response {
        public Server {
            Objects.requireNonNull(address, "address");
        }
        public ResponseType type() { return ResponseType.SERVER; }
        public void writeBody(MessageWriter w) { w.putUint64(id).putText(address); }
    }

    /** Answer to CLIENT: the heartbeat timeout in milliseconds. */
    record Welcome(long heartbeatTimeout) implements Response {
        public ResponseType type() { return ResponseType.WELCOME; }
        public void writeBody(MessageWriter w) { w.putUint64(heartbeatTimeout); }
    }

    /** A member as listed by SERVERS; {@code role} is 0 in format 0, which carries none. */
    record ServerInfo(long id, String address, long role) {
        public ServerInfo {
            Objects.requireNonNull(address, "address");
        }
    }

    /** Answer to CLUSTER in {@code format} 0 (id, address) or 1 (id, address, role). */
    record Servers(List<ServerInfo> servers, int format) implements Response {
        public Servers {
            servers = List.copyOf(servers);
            if (format != Protocol.CLUSTER_FORMAT_V0 && format != Protocol.CLUSTER_FORMAT_V1) {
                throw new IllegalArgumentException("unknown cluster format " + format);
            }
        }
        public ResponseType type() { return ResponseType.SERVERS; }
        public void writeBody(MessageWriter w) {
            w.putUint64(servers.size());
            for (ServerInfo s : servers) {
                w.putUint64(s.id()).putText(s.address());
                if (format == Protocol.CLUSTER_FORMAT_V1) {
                    w.putUint64(s.role());
                }
            }
        }
    }

    /** Answer to OPEN: the database id (always 0 in dqlite). */
    record Db(long id) implements Response {
        public ResponseType type() { return ResponseType.DB; }
        public void writeBody(MessageWriter w) { w.putUint32(id).putUint32(0); }
    }

    /** Answer to PREPARE schema 0. */
    record Stmt(long dbId, long stmtId, long paramCount) implements Response {
        public ResponseType type() { return ResponseType.STMT; }
        public void writeBody(MessageWriter w) { w.putUint32(dbId).putUint32(stmtId).putUint64(paramCount); }
    }

    /** Answer to PREPARE schema 1: also the byte offset where the unprepared tail of the SQL starts. */
    record StmtWithOffset(long dbId, long stmtId, long paramCount, long tailOffset) implements Response {
        public ResponseType type() { return ResponseType.STMT; }
        public int schema() { return Protocol.PREPARE_SCHEMA_V1; }
        public void writeBody(MessageWriter w) {
            w.putUint32(dbId).putUint32(stmtId).putUint64(paramCount).putUint64(tailOffset);
        }
    }

    /** Answer to EXEC/EXEC_SQL. */
    record Result(long lastInsertId, long rowsAffected) implements Response {
        public ResponseType type() { return ResponseType.RESULT; }
        public void writeBody(MessageWriter w) { w.putUint64(lastInsertId).putUint64(rowsAffected); }
    }

    /**
     * One page of a result set: the column names, rows, and whether this is the last page
     * ({@link Protocol#ROWS_DONE}) or more follow ({@link Protocol#ROWS_PART}).
     */
    record Rows(List<String> columns, List<List<Value>> rows, boolean done) implements Response {
        public Rows {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<Value> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException("row has " + row.size() + " values, expected " + columns.size());
                }
            }
        }
        public ResponseType type() { return ResponseType.ROWS; }
        public void writeBody(MessageWriter w) {
            w.putUint64(columns.size());
            for (String c : columns) {
                w.putText(c);
            }
            for (List<Value> row : rows) {
                w.putRow(row);
            }
            w.putUint64(done ? Protocol.ROWS_DONE : Protocol.ROWS_PART);
        }
    }

    /** Success without data. */
    record Empty() implements Response {
        public ResponseType type() { return ResponseType.EMPTY; }
        public void writeBody(MessageWriter w) { w.putUint64(0); }
    }

    /** A file of a DUMP. */
    record FileEntry(String name, byte[] content) {
        public FileEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(content, "content");
        }
        @Override
        public boolean equals(Object o) {
            return o instanceof FileEntry f && f.name.equals(name) && Arrays.equals(f.content, content);
        }
        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(content);
        }
        @Override
        public String toString() {
            return "FileEntry[" + name + ", " + content.length + " bytes]";
        }
    }

    /** Answer to DUMP: the database file then its WAL (contents padded to 8 bytes on the wire). */
    record Files(List<FileEntry> files) implements Response {
        public Files {
            files = List.copyOf(files);
        }
        public ResponseType type() { return ResponseType.FILES; }
        public void writeBody(MessageWriter w) {
            w.putUint64(files.size());
            for (FileEntry f : files) {
                w.putText(f.name()).putUint64(f.content().length).putBytes(f.content());
            }
        }
    }

    /** Answer to DESCRIBE. */
    record Metadata(long failureDomain, long weight) implements Response {
        public ResponseType type() { return ResponseType.METADATA; }
        public void writeBody(MessageWriter w) { w.putUint64(failureDomain).putUint64(weight); }
    }
}
