package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Quorum-loss recovery (dqlite's reconfigure), run on a stopped node: its state, including every entry of
 * its log (committed or not, as dqlite does: the most up-to-date survivor holds every committed one),
 * becomes a snapshot, and the Raft state is rebuilt around that snapshot with a new configuration.
 * Members left out must be wiped before they come back, and join as new members.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    static final String STAGED = "recovered-snapshot";

    private Recovery() {
    }

    /** Returns the index the recovered state holds. */
    static long run(EngineConfig config, List<Member> members, java.util.function.Consumer<String> progress) throws IOException {
        if (members.stream().noneMatch(m -> m.role() == Role.VOTER)) {
            throw new IllegalArgumentException("the recovered configuration needs at least one voter");
        }
        if (!Files.isRegularFile(config.dataDir().resolve(NodeIdentity.FILE))) {
            throw new IllegalArgumentException(config.dataDir() + " holds no jdqlite node (no " + NodeIdentity.FILE + ")");
        }
        Path staged = config.dataDir().resolve(STAGED);
        SnapshotStore.deleteTree(staged);
        // Offline: no founding list, so an empty directory cannot be mistaken for a node.
        EngineConfig offline = EngineConfig.builder().from(config).initialMembers(List.of()).build();
        Node node = Node.start(offline);
        long index;
        try {
            RaftServer.Division d = node.raft().division();
            RaftLog log = d.getRaftLog();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (d.getInfo().getLastAppliedIndex() < log.getLastCommittedIndex() && System.nanoTime() < deadline) {
                sleep();
            }
            long from = d.getInfo().getLastAppliedIndex() + 1;
            TermIndex last = log.getLastEntryTermIndex();
            long to = last == null ? d.getInfo().getLastAppliedIndex() : last.getIndex();
            progress.accept("applied through index " + (from - 1) + "; replaying " + Math.max(0, to - from + 1)
                    + " more log entries");
            for (long i = from; i <= to; i++) {
                LogEntryProto e = log.get(i);
                if (e != null && e.hasStateMachineLogEntry()) {
                    node.apply(Command.decode(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer()), i);
                }
            }
            node.discardPendingParts();
            index = Math.max(to, 1);
            // Term 0: the rebuilt log starts a new history whose first leader has term 1.
            TermIndex at = TermIndex.valueOf(0, index);
            Path out = Files.createDirectories(staged.resolveSibling(STAGED + ".tmp"));
            SnapshotStore.deleteTree(out);
            SnapshotStore store = SnapshotStore.detached(out);
            if (!node.takeSnapshot(at, store)) {
                throw new IOException("cannot snapshot the recovered state");
            }
            Files.move(store.latest().dir(), Files.createDirectories(staged).resolve(at.getTerm() + "_" + at.getIndex()),
                    StandardCopyOption.ATOMIC_MOVE);
            SnapshotStore.deleteTree(out);
        } finally {
            node.close();
        }
        SnapshotStore.deleteTree(config.dataDir().resolve("raft"));
        Files.writeString(config.dataDir().resolve(STAGED).resolve("members"), Members.format(members));
        progress.accept("state at index " + index + " staged; the Raft log was reset to the new configuration");
        return index;
    }

    /** At start: moves a staged recovered snapshot into the state machine's snapshot directory. */
    static void adoptStaged(Path dataDir, SnapshotStore store) throws IOException {
        Path staged = dataDir.resolve(STAGED);
        if (!Files.isDirectory(staged)) {
            return;
        }
        try (Stream<Path> s = Files.list(staged)) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                Files.move(p, store.snapshotsDir().resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                LOG.info("adopted recovered snapshot {}", p.getFileName());
            }
        }
        SnapshotStore.deleteTree(staged);
    }

    /** The configuration a recovered node restarts with, if a recovery is pending. */
    static List<Member> stagedMembers(Path dataDir) throws IOException {
        Path f = dataDir.resolve(STAGED).resolve("members");
        return Files.isRegularFile(f) ? Members.parse(Files.readString(f)) : List.of();
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
