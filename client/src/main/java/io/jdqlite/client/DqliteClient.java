package io.jdqlite.client;

import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the client: finds the leader among the configured nodes and opens connections to it.
 * Thread-safe and cheap; it holds only its configuration.
 */
public final class DqliteClient implements AutoCloseable {
    private final ClientConfig config;

    private DqliteClient(ClientConfig config) {
        this.config = config;
    }

    public static DqliteClient create(ClientConfig config) {
        return new DqliteClient(config);
    }

    public ClientConfig config() {
        return config;
    }

    /** A connection to the current leader with {@code database} open (created on first write). */
    public DqliteConnection open(String database) throws DqliteException {
        if (database == null || database.isEmpty()) {
            throw DqliteException.misuse("a database name is required");
        }
        return retrying(() -> {
            Transport t = connectToLeader();
            try {
                Response r = t.call(new Request.Open(database, 0, "volatile"), false);
                if (!(r instanceof Response.Db db)) {
                    throw LeaderConnection.unexpected(r);
                }
                return new LeaderConnection(t, database, db.id());
            } catch (DqliteException e) {
                t.close();
                throw e;
            }
        });
    }

    /** The leader as a node reports it (id 0 and empty address when none is known). */
    public NodeInfo leader() throws DqliteException {
        return retrying(() -> {
            DqliteException last = null;
            for (String a : config.addresses()) {
                try (Transport t = Transport.connect(a, config)) {
                    Response r = t.call(new Request.Leader(), false);
                    if (r instanceof Response.Server s && s.address() != null && !s.address().isEmpty()) {
                        return new NodeInfo(s.id(), s.address(), NodeRole.VOTER);
                    }
                } catch (DqliteException e) {
                    last = e;
                }
            }
            throw last != null ? last : DqliteException.connection("no node of " + config.addresses() + " knows a leader", false, null);
        });
    }

    /** Every member with its role (CLUSTER, format 1), as the leader sees them. */
    public List<NodeInfo> cluster() throws DqliteException {
        return retrying(() -> {
            try (Transport t = connectToLeader()) {
                Response r = t.call(new Request.Cluster(Protocol.CLUSTER_FORMAT_V1), false);
                if (!(r instanceof Response.Servers s)) {
                    throw LeaderConnection.unexpected(r);
                }
                List<NodeInfo> out = new ArrayList<>();
                for (Response.ServerInfo i : s.servers()) {
                    out.add(new NodeInfo(i.id(), i.address(), NodeRole.fromCode(i.role())));
                }
                return out;
            }
        });
    }

    /**
     * The committed content of {@code database} as SQLite files (DUMP, on the leader): one consistent state,
     * which SQLite opens once the files are written side by side. The answer is one message held in memory,
     * so a database larger than {@code maxBytes} is refused with SQLITE_TOOBIG (by the client, or by the
     * node when its own result limit is lower), and is not retried.
     */
    public List<DatabaseFile> dump(String database, int maxBytes) throws DqliteException {
        if (database == null || database.isEmpty()) {
            throw DqliteException.misuse("a database name is required");
        }
        if (maxBytes < Protocol.HEADER_SIZE) {
            throw DqliteException.misuse("maxBytes must be at least " + Protocol.HEADER_SIZE + ", got " + maxBytes);
        }
        return retrying(() -> {
            try (Transport t = connectToLeader()) {
                t.send(new Request.Dump(database), false);
                Response r = t.receive(maxBytes);
                if (!(r instanceof Response.Files f)) {
                    throw LeaderConnection.unexpected(r);
                }
                List<DatabaseFile> out = new ArrayList<>(f.files().size());
                for (Response.FileEntry e : f.files()) {
                    out.add(new DatabaseFile(e.name(), e.content()));
                }
                return out;
            }
        });
    }

    /**
     * Removes the member {@code id} from the cluster (REMOVE, on the leader). Not retried once sent: a lost
     * connection then surfaces with {@link DqliteException#outcomeUnknown()}.
     */
    public void remove(long id) throws DqliteException {
        retrying(() -> {
            try (Transport t = connectToLeader()) {
                expectEmpty(t.call(new Request.Remove(id), true));
                return null;
            }
        });
    }

    /** The failure domain and weight of the node at {@code address} (DESCRIBE, asked of that node). */
    public NodeMetadata describe(String address) throws DqliteException {
        try (Transport t = Transport.connect(address, config)) {
            Response r = t.call(new Request.Describe(Protocol.DESCRIBE_FORMAT_V0), false);
            if (!(r instanceof Response.Metadata m)) {
                throw LeaderConnection.unexpected(r);
            }
            return new NodeMetadata(m.failureDomain(), m.weight());
        }
    }

    /** Sets the weight of the node at {@code address} (WEIGHT, asked of that node). */
    public void weight(String address, long weight) throws DqliteException {
        if (weight < 0) {
            throw DqliteException.misuse("a weight is a non-negative number, got " + weight);
        }
        try (Transport t = Transport.connect(address, config)) {
            expectEmpty(t.call(new Request.Weight(weight), true));
        }
    }

    private static void expectEmpty(Response r) throws DqliteException {
        if (!(r instanceof Response.Empty)) {
            throw LeaderConnection.unexpected(r);
        }
    }

    /** Asks each address for the leader and connects to it. */
    private Transport connectToLeader() throws DqliteException {
        DqliteException last = null;
        for (String a : config.addresses()) {
            try (Transport probe = Transport.connect(a, config)) {
                Response r = probe.call(new Request.Leader(), false);
                if (r instanceof Response.Server s && s.address() != null && !s.address().isEmpty()) {
                    return Transport.connect(s.address(), config);
                }
            } catch (DqliteException e) {
                last = e;
            }
        }
        throw last != null ? last : DqliteException.connection("no node of " + config.addresses() + " knows a leader", false, null);
    }

    private interface Attempt<T> {
        T run() throws DqliteException;
    }

    /** Retries leader discovery, and a request that surely did not run, until the leader search timeout. */
    private <T> T retrying(Attempt<T> attempt) throws DqliteException {
        long deadline = System.nanoTime() + config.leaderSearchTimeout().toNanos();
        long delay = 50;
        while (true) {
            try {
                return attempt.run();
            } catch (DqliteException e) {
                boolean retriable = e.isNotLeader()
                        || (e.getErrorCode() == DqliteException.CONNECTION_FAILED && !e.outcomeUnknown());
                if (!retriable || System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw DqliteException.connection("interrupted while looking for the leader", false, ie);
            }
            delay = Math.min(1000, delay * 2);
        }
    }

    @Override
    public void close() {
        // connections are owned by their users; nothing shared to release
    }
}
