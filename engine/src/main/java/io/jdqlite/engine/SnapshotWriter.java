package io.jdqlite.engine;

import org.apache.ratis.server.protocol.TermIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Takes the snapshots Ratis asks for (dqlite's fsm snapshot): one SQLite file per database, each holding
 * exactly the committed state at the snapshot's index.
 *
 * <p>A follower (any node that does not lead) writes its snapshot at once, on the apply thread: no client
 * waits for a follower's apply, and nothing else changes its files meanwhile. On the leader, copying every
 * database on the apply thread stopped all writes for as long as the copy took (seconds at a few hundred
 * MB). There the databases are captured in an instant ({@link CommittedImage}) and written by a background
 * thread while the leader goes on committing; until that snapshot is complete, Ratis is told the index of
 * the newest complete one and asks again with a later entry. The last snapshot, at stop, is written at once.
 */
final class SnapshotWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);
    /** After a failed snapshot, Ratis' requests (one per applied entry) are answered without a new try for this long. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * Snapshots Ratis asks for are written at most this fast (EngineConfig, 64 MiB/s by default). The Raft
     * log's fsyncs share the disk: three nodes on one disk writing 300 MB snapshots flat out held every
     * commit for a second (measured).
     */
    private final long pacedBytesPerSecond;

    private final Supplier<Collection<Database>> databases;
    private final BooleanSupplier leading;
    private final AtomicLong taken;
    private final SnapshotPolicy policy = new SnapshotPolicy();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jdqlite-snapshot-writer");
        t.setDaemon(true);
        return t;
    });
    /** Snapshots given up because a database was rewritten while they were written. */
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    /** A snapshot is being written on the apply thread (a follower's): nothing is applied meanwhile. */
    private volatile boolean writingOnApplyThread;
    /** Tests hold snapshot writes here to look at a node while its snapshot is being written. */
    private volatile CountDownLatch gate;

    // guarded by this
    private boolean writing;
    private long reported = -1;
    private long retryAt = System.nanoTime();

    SnapshotWriter(Supplier<Collection<Database>> databases, BooleanSupplier leading, AtomicLong taken,
                   long pacedBytesPerSecond) {
        this.databases = databases;
        this.leading = leading;
        this.taken = taken;
        this.pacedBytesPerSecond = pacedBytesPerSecond;
    }

    /**
     * Ratis asks for a snapshot at {@code ti} (apply thread, every entry up to it applied): answers the index
     * of the newest complete snapshot, -1 for none.
     */
    long onRaftRequest(TermIndex ti, SnapshotStore store) throws IOException {
        synchronized (this) {
            if (writing) {
                return reported; // asked again with every applied entry until the background write is done
            }
        }
        long latest = indexOf(store);
        synchronized (this) {
            if (latest > reported || System.nanoTime() - retryAt < 0) {
                // A background snapshot completed since the last answer (Ratis decides again with it), or
                // the last one failed a moment ago.
                reported = Math.max(reported, latest);
                return latest;
            }
        }
        if (!closed && !policy.due(() -> sizeToCopy(store.latest()))) {
            return answer(latest); // asked again with the next entry
        }
        Captured images = capture(store);
        if (images == null) {
            LOG.debug("snapshot at {} postponed: a transaction is half applied", ti);
            return answer(latest);
        }
        // The Raft leader writes in the background even before a database has a serving leader loop: its
        // apply thread answers every write. Images of databases without one are voided if anything rewrites them.
        boolean inBackground = !closed && (leading.getAsBoolean() || images.copies().stream().anyMatch(CommittedImage::ofServingLeader));
        if (!inBackground) {
            boolean done;
            writingOnApplyThread = true;
            try {
                awaitGate();
                // At stop (Ratis takes one last snapshot) nothing is left to protect: no pacing.
                done = write(ti, store, images, closed ? 0 : pacedBytesPerSecond, () -> false);
            } finally {
                writingOnApplyThread = false;
            }
            return answer(done ? ti.getIndex() : latest);
        }
        synchronized (this) {
            writing = true;
        }
        try {
            background.execute(() -> {
                try {
                    awaitGate();
                    write(ti, store, images, pacedBytesPerSecond, () -> closed);
                } finally {
                    finished();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            images.close(); // closing
            finished();
        }
        return answer(latest);
    }

    /** Writes a snapshot at {@code ti} now, on this thread (recovery); false when a transaction is half applied. */
    boolean takeNow(TermIndex ti, SnapshotStore store) throws IOException {
        Captured images = capture(store);
        if (images == null) {
            return false;
        }
        if (!write(ti, store, images, 0, () -> false)) {
            throw new IOException("snapshot at " + ti + " could not be written");
        }
        return true;
    }

    private synchronized long answer(long index) {
        reported = Math.max(reported, index);
        return index;
    }

    private synchronized void finished() {
        writing = false;
    }

    private synchronized void failed() {
        retryAt = System.nanoTime() + RETRY_NANOS;
    }

    /**
     * What a snapshot is made of: a committed image to copy of every database that changed since the newest
     * snapshot, and that snapshot's file of every other one. The files of a complete snapshot never change,
     * so an unchanged database is linked, not copied: a cluster with a large idle database no longer copies it
     * whole every few thousand entries of writes to another one.
     */
    private record Captured(List<CommittedImage> copies, List<Path> unchanged, long logPosition) {
        void close() {
            copies.forEach(CommittedImage::close);
        }
    }

    /** Every database with a file, as committed now; null while a transaction is half applied. */
    private Captured capture(SnapshotStore store) throws IOException {
        SnapshotStore.Snapshot previous = store.latest();
        List<CommittedImage> images = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        boolean halfApplied = false;
        try {
            for (Database db : databases.get()) {
                db.lock().lock();
                try {
                    Leader l = db.leader();
                    halfApplied = db.hasPendingParts() || (l != null && l.midTransaction());
                    if (halfApplied) {
                        break;
                    }
                    if (Files.exists(db.file())) {
                        Path earlier = previous == null ? null : previous.dir().resolve(db.file().getFileName());
                        if (earlier != null && db.contentIndex() <= previous.termIndex().getIndex() && Files.exists(earlier)) {
                            unchanged.add(earlier);
                        } else {
                            images.add(CommittedImage.capture(db, store.workDir()));
                        }
                    }
                } finally {
                    db.lock().unlock();
                }
            }
        } catch (IOException | RuntimeException e) {
            images.forEach(CommittedImage::close); // each takes its own database's lock: none held here
            throw e;
        }
        if (halfApplied) {
            images.forEach(CommittedImage::close);
            return null;
        }
        return new Captured(images, unchanged, policy.position());
    }

    private boolean write(TermIndex ti, SnapshotStore store, Captured captured, long bytesPerSecond,
                          BooleanSupplier cancelled) {
        long started = System.nanoTime();
        try {
            boolean done = store.take(ti, dir -> {
                for (Path earlier : captured.unchanged()) {
                    link(earlier, dir.resolve(earlier.getFileName()));
                }
                for (CommittedImage image : captured.copies()) {
                    if (!image.writeTo(dir.resolve(image.database().file().getFileName()), bytesPerSecond, cancelled)) {
                        LOG.info("snapshot at {} given up: closing", ti);
                        return false;
                    }
                }
                for (CommittedImage image : captured.copies()) {
                    if (!image.stillValid()) {
                        dropped.incrementAndGet();
                        LOG.info("snapshot at {} dropped: {} was rewritten while it was copied (leadership moved?)",
                                ti, image.database().name());
                        return false;
                    }
                }
                return true;
            });
            if (done) {
                taken.incrementAndGet();
                policy.taken(captured.logPosition());
                LOG.info("snapshot taken at {} ({} ms; {} database(s) copied, {} unchanged)", ti,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), captured.copies().size(),
                        captured.unchanged().size());
            }
            return done;
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot at {} failed; next try in {} s", ti, TimeUnit.NANOSECONDS.toSeconds(RETRY_NANOS), e);
            failed();
            return false;
        } finally {
            captured.close();
        }
    }

    /** Bytes a snapshot would copy now: the files of the databases changed since {@code previous}. */
    private long sizeToCopy(SnapshotStore.Snapshot previous) {
        long bytes = 0;
        for (Database db : databases.get()) {
            if (previous == null || db.contentIndex() > previous.termIndex().getIndex()) {
                try {
                    bytes += Files.size(db.file());
                } catch (IOException e) {
                    // no file (yet): nothing to copy
                }
            }
        }
        return bytes;
    }

    /** An entry of {@code bytes} was applied (apply thread): see {@link SnapshotPolicy}. */
    void logged(long bytes) {
        policy.logged(bytes);
    }

    /** A hard link to the earlier snapshot's file; a copy where the file system has no hard links. */
    private static void link(Path earlier, Path target) throws IOException {
        try {
            Files.createLink(target, earlier);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            Files.copy(earlier, target);
        }
    }

    private void awaitGate() {
        CountDownLatch g = gate;
        try {
            while (g != null && !closed && !g.await(100, TimeUnit.MILLISECONDS)) {
                // held by a test
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long indexOf(SnapshotStore store) {
        SnapshotStore.Snapshot s = store.latest();
        return s == null ? -1 : s.termIndex().getIndex();
    }

    /** Whether the apply thread is busy writing a snapshot (so the applied index lags for a while). */
    boolean isWritingOnApplyThread() {
        return writingOnApplyThread;
    }

    // ---------------------------------------------------------------- for tests

    /** Snapshots wait until the returned handle is closed (a follower's holds its apply thread). */
    AutoCloseable holdWrites() {
        CountDownLatch g = new CountDownLatch(1);
        gate = g;
        return () -> {
            gate = null;
            g.countDown();
        };
    }

    long dropped() {
        return dropped.get();
    }

    synchronized boolean isWriting() {
        return writing;
    }

    /** Gives up a background snapshot in progress and waits for it to stop. */
    @Override
    public void close() {
        closed = true;
        background.shutdown();
        try {
            if (!background.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("the snapshot writer did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
