package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.ResponseType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
     * which SQLite opens once the files are written side by side. The answer is held in memory, so a database
     * larger than {@code maxBytes} is refused with SQLITE_TOOBIG, and is not retried; {@link #dump(String, Path,
     * DumpProgress)} takes any size.
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
     * How long the answer to a DUMP written to disk may take to start: the node first copies the database, at
     * disk speed (minutes for tens of GB), where the request timeout is meant for a statement. Once the answer
     * flows, the request timeout bounds any stall.
     */
    static final Duration DUMP_COPY_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Writes the committed content of {@code database} (DUMP, on the leader) to {@code file}, and its WAL, unless
     * empty, to {@code file + "-wal"} as SQLite names it: SQLite opens {@code file} as the database, in one
     * consistent state. The answer goes from the socket to disk a buffer at a time, so any size fits in memory.
     * Each file is written under a ".part" name, synced and renamed once the whole answer has arrived, replacing
     * what was there (a WAL there from an earlier copy is deleted). The node's names for the files are checked,
     * never used as paths.
     *
     * <p>Looking for the leader is retried as for other requests; a transfer that broke off is not (it fails
     * with a connection error saying how far it got, and leaves no file): starting a long copy over is the
     * caller's call.
     *
     * <p>The node copies the database before its answer starts, which may take minutes for a large one:
     * interrupting the calling thread ends that wait (SQLITE_INTERRUPT, within a fraction of a second), as
     * throwing from {@code progress} ends the transfer.
     *
     * @return the files written: the database, then its WAL if the node sent a non-empty one
     * @throws IOException when a file cannot be written
     */
    public List<DumpedFile> dump(String database, Path file, DumpProgress progress) throws DqliteException, IOException {
        if (database == null || database.isEmpty()) {
            throw DqliteException.misuse("a database name is required");
        }
        Objects.requireNonNull(progress, "progress");
        Path target = file.toAbsolutePath();
        if (!Files.isDirectory(target.getParent())) {
            throw new NoSuchFileException(target.getParent().toString(), null, "no such directory");
        }
        Duration copyTimeout = config.requestTimeout().compareTo(DUMP_COPY_TIMEOUT) > 0 ? config.requestTimeout() : DUMP_COPY_TIMEOUT;
        long[] length = new long[1];
        Transport transport = retrying(() -> {
            Transport t = connectToLeader();
            try {
                t.send(new Request.Dump(database), false);
                t.awaitAnswer(copyTimeout); // the node copies the database first; an interrupt ends the wait
                length[0] = t.receiveStreamed(ResponseType.FILES);
                return t;
            } catch (DqliteException e) {
                t.close();
                throw e;
            }
        });
        try (transport) {
            return DumpReceiver.receive(transport, length[0], database, target, progress);
        }
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
                if (e.getErrorCode() == ErrorCodes.SQLITE_INTERRUPT) {
                    throw e; // the caller stopped the search
                }
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
