package io.jdqlite.engine;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A jdqlite node's replicated SQLite engine: the public entry point of the engine library.
 *
 * <pre>{@code
 * try (Engine engine = Engine.start(EngineConfig.builder()
 *         .dataDir(dir).address("127.0.0.1:9001")
 *         .initialMembers(members).build())) {
 *     Session s = engine.openSession("app");
 *     s.execSql("CREATE TABLE t (x)", List.of()).join();
 * }
 * }</pre>
 */
public final class Engine implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);

    private final Node node;

    private Engine(Node node) {
        this.node = node;
    }

    /** Opens (or creates) the data directory, starts the Raft server and returns once it is serving. */
    public static Engine start(EngineConfig config) throws IOException {
        return new Engine(Node.start(config));
    }

    /**
     * Quorum-loss recovery (dqlite's reconfigure) on a stopped node: its data, including every entry of its
     * log, becomes the state of a new Raft history whose configuration is {@code members}; the next
     * {@link #start} serves it. Run it on the most up-to-date survivor only, with every other node stopped;
     * nodes left out must have their data directories wiped and join as new members.
     *
     * @return the log index the recovered state holds
     */
    public static long recover(EngineConfig config, List<Member> members, java.util.function.Consumer<String> progress)
            throws IOException {
        return Recovery.run(config, members, progress);
    }

    /** {@link #recover} with this node (its stored id and configured addresses) as the only voter. */
    public static long recoverAsSoleVoter(EngineConfig config, java.util.function.Consumer<String> progress)
            throws IOException {
        if (!java.nio.file.Files.isRegularFile(config.dataDir().resolve(NodeIdentity.FILE))) {
            throw new IllegalArgumentException(config.dataDir().toAbsolutePath() + " holds no jdqlite node to recover");
        }
        long id = NodeIdentity.loadOrCreate(config.dataDir(), 0);
        return recover(config, List.of(new Member(id, config.address(), config.raftAddress(), Role.VOTER)), progress);
    }

    /**
     * How automatic role management learns members' failure domains and weights (DESCRIBE); without one,
     * every member counts as domain 0, weight 0.
     */
    public void describeMembersWith(MemberDescriber describer) {
        node.roles().useDescriber(describer);
    }

    public long nodeId() {
        return node.nodeId();
    }

    /** This node's advertised client address. */
    public String address() {
        return node.config().address();
    }

    /**
     * A session on database {@code name} (created on first write). Sessions may be opened on any
     * node; statements on a non-leader fail with {@link ErrorCodes#SQLITE_IOERR_NOT_LEADER}.
     *
     * @throws EngineException SQLITE_MISUSE for an invalid database name
     */
    public Session openSession(String name) {
        return node.openSession(name, null);
    }

    /**
     * As {@link #openSession(String)}, with the session's futures completed on {@code replies} instead of the
     * engine's own threads (those that fail at once, before any work is queued, complete in the caller): a
     * network event loop that passes each answer on saves a thread hand-off per request. {@code replies} must
     * not block; if it refuses work (shut down), the answer completes on the thread that has it.
     */
    public Session openSession(String name, java.util.concurrent.Executor replies) {
        return node.openSession(name, java.util.Objects.requireNonNull(replies, "replies"));
    }

    public boolean isLeader() {
        return node.isLeader();
    }

    /** The leader as this node knows it, if any. */
    public Optional<Member> leader() {
        return node.leader();
    }

    /** The current configuration: every member with its role. */
    public List<Member> members() {
        return node.members();
    }

    public EngineStatus status() {
        return node.status();
    }

    /**
     * Why this engine cannot serve until its process restarts (its Raft member stopped on an error), or empty.
     * Health checks report it: a process in this state still answers on its ports.
     */
    public Optional<String> failure() {
        return node.failure();
    }

    /** Adds a member as a spare (dqlite's ADD); must run on the leader. */
    public CompletableFuture<Void> add(Member member) {
        return node.membership().add(member);
    }

    /** Changes a member's role (dqlite's ASSIGN); must run on the leader. */
    public CompletableFuture<Void> assign(long id, Role role) {
        return node.membership().assign(id, role);
    }

    /** Removes a member (dqlite's REMOVE); must run on the leader. */
    public CompletableFuture<Void> remove(long id) {
        return node.membership().remove(id);
    }

    /** Transfers leadership to member {@code id}, or to the best voter when {@code id == 0}. */
    public CompletableFuture<Void> transfer(long id) {
        return node.membership().transfer(id);
    }

    /**
     * On the leader, the voter a handover or a TRANSFER without a target would pick: the most caught-up
     * other voter that answers. Empty elsewhere, or when no other voter answers (or there is none).
     */
    public Optional<Long> handoverTarget() {
        return node.membership().transferTarget();
    }

    /**
     * Graceful-shutdown handover: a leader hands leadership to the most caught-up voter, so writes
     * resume within an election round trip instead of an election timeout. Best effort: it says when nobody
     * could take over, or when the transfer failed or did not finish within {@code timeout}.
     */
    public HandoverOutcome handover(java.time.Duration timeout) {
        if (!isLeader()) {
            return HandoverOutcome.MOVED;
        }
        Optional<Long> target = handoverTarget();
        if (target.isEmpty()) {
            // No other voter, or none answering: no transfer can succeed.
            return HandoverOutcome.NOBODY_ANSWERING;
        }
        long to = target.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Void> transfer = transfer(to);
        try {
            while (true) {
                try {
                    transfer.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return HandoverOutcome.MOVED;
                } catch (java.util.concurrent.TimeoutException stillRunning) {
                    if (ledByAnother()) {
                        return HandoverOutcome.MOVED;
                    }
                    if (System.nanoTime() >= deadline) {
                        LOG.warn("handover to node {} did not finish within {} ms", Long.toUnsignedString(to), timeout.toMillis());
                        return HandoverOutcome.FAILED;
                    }
                    // The whole cluster stopping: the target goes too, and waiting for it is pointless.
                    if (stoppedAnswering(to)) {
                        LOG.info("handover: node {} stopped answering; not waiting for it", Long.toUnsignedString(to));
                        return HandoverOutcome.NOBODY_ANSWERING;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HandoverOutcome.FAILED;
        } catch (java.util.concurrent.ExecutionException e) {
            // The transfer can fail while leadership still moves (another voter won the election the
            // transfer started): what counts is that another member leads before this one stops.
            while (System.nanoTime() < deadline) {
                if (isLeader() && stoppedAnswering(to)) {
                    LOG.info("handover: transfer answered {}, and node {} stopped answering", e.getCause(), Long.toUnsignedString(to));
                    return HandoverOutcome.NOBODY_ANSWERING;
                }
                if (ledByAnother()) {
                    LOG.info("handover: transfer answered {}, but leadership moved to node {}",
                            e.getCause(), leader().map(m -> Long.toUnsignedString(m.id())).orElse("?"));
                    return HandoverOutcome.MOVED;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return HandoverOutcome.FAILED;
                }
            }
            LOG.warn("handover failed: {}", e.getCause().toString());
            return HandoverOutcome.FAILED;
        }
    }

    private boolean ledByAnother() {
        return !isLeader() && leader().filter(m -> m.id() != nodeId()).isPresent();
    }

    /**
     * Whether this node, still leading, has heard nothing from {@code id} for an election timeout (a voter
     * that is up answers every heartbeat). Once the transfer makes this node step down it has no follower
     * information, and the answer is no: leadership is moving.
     */
    private boolean stoppedAnswering(long id) {
        Long silence = FollowerSilence.millisByMember(node).get(id);
        return silence != null && silence > node.config().electionTimeoutMin().toMillis();
    }

    /**
     * The committed content of database {@code name} as one SQLite file (dqlite's DUMP), in a temporary file
     * that the caller must close (delete) once sent. Must run on the leader.
     */
    public CompletableFuture<DatabaseDump> dump(String name) {
        return node.dump(name);
    }

    /** For tests in this package: the running node. */
    Node node() {
        return node;
    }

    /** Stops serving: pending writes fail, the Raft server stops, files are closed. */
    @Override
    public void close() {
        node.close();
    }
}
