package io.jdqlite.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One named database on this node (dqlite's registry entry): its files, the lock that orders the apply
 * thread, the leader loop and snapshots, and the leader loop while this node leads.
 */
final class Database {
    private final String name;
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong checkpoints = new AtomicLong();
    private volatile Leader leader;
    /** Origin and id of the transaction whose parts wait in the spill file (followers only). */
    private long spillOrigin;
    private long spillTxId = -1;
    /** Index of the last applied entry that touched this database (guarded by lock). */
    private long appliedIndex;
    /**
     * Bumped (lock held) before anything rewrites the files other than the serving leader's WAL appends and
     * checkpoints (a {@link CommittedImage} watches those): an image written meanwhile is void.
     */
    private long fileGeneration;
    /**
     * Raft index of the last entry that changed this database's content, or Long.MAX_VALUE while unknown
     * (files deleted or being rebuilt). A snapshot reuses an earlier snapshot's file of an unchanged database.
     */
    private volatile long contentIndex = Long.MAX_VALUE;

    Database(String name, Path dir) {
        this.name = name;
        this.file = dir.resolve(DatabaseNames.toFileName(name));
    }

    String name() {
        return name;
    }

    Path file() {
        return file;
    }

    Path wal() {
        return Path.of(file + "-wal");
    }

    Path shm() {
        return Path.of(file + "-shm");
    }

    Path spill() {
        return Path.of(file + "-pending");
    }

    ReentrantLock lock() {
        return lock;
    }

    Leader leader() {
        return leader;
    }

    void leader(Leader l) {
        this.leader = l;
    }

    void checkpointed() {
        checkpoints.incrementAndGet();
    }

    long checkpoints() {
        return checkpoints.get();
    }

    boolean hasPendingParts() {
        return spillTxId >= 0;
    }

    /** The files are about to be rewritten (lock held). */
    void filesChanging() {
        fileGeneration++;
    }

    long fileGeneration() {
        return fileGeneration;
    }

    /** Applies committed frames as a follower (db.lock held, no leader loop). */
    void applyAsFollower(Command.Frames f) throws IOException {
        filesChanging();
        if (hasPendingParts() && (f.origin() != spillOrigin || f.txId() != spillTxId)) {
            PageWriter.discardSpill(spill()); // that transaction's leader lost leadership before its commit part
            spillTxId = -1;
        }
        PageWriter.apply(file, spill(), f);
        if (f.commit()) {
            spillTxId = -1;
        } else {
            spillOrigin = f.origin();
            spillTxId = f.txId();
        }
    }

    /** Drops the parts of a transaction whose commit part never came (recovery from a survivor's log). */
    void discardPendingParts() throws IOException {
        PageWriter.discardSpill(spill());
        spillTxId = -1;
    }

    void applied(long index) {
        appliedIndex = index;
    }

    /** An entry at {@code index} changed (or may have changed) the content (lock held). */
    void contentChanged(long index) {
        contentIndex = index;
    }

    long contentIndex() {
        return contentIndex;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    /** After a snapshot restore: the files hold the state at {@code index}. */
    void resetAfterRestore(long index) {
        filesChanging();
        appliedIndex = index;
        contentIndex = index;
        spillTxId = -1;
    }

    /** Deletes every file of this database (before a restore). */
    void deleteFiles() throws IOException {
        filesChanging();
        Files.deleteIfExists(file);
        Files.deleteIfExists(wal());
        Files.deleteIfExists(shm());
        Files.deleteIfExists(spill());
        spillTxId = -1;
        contentIndex = Long.MAX_VALUE;
    }
}
