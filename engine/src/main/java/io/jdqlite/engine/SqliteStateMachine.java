package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The Raft state machine (dqlite's fsm.c): applies FRAMES and CHECKPOINT commands to the databases,
 * takes snapshots and restores them. All the database work is delegated to {@link Node}.
 */
final class SqliteStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStateMachine.class);
    private final SnapshotStore snapshots = new SnapshotStore();
    private final Node node;

    SqliteStateMachine(Node node) {
        this.node = node;
    }

    SnapshotStore snapshots() {
        return snapshots;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        snapshots.init(storage);
        Recovery.adoptStaged(node.config().dataDir(), snapshots);
        snapshots.invalidate();
        restore();
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the machine before it writes an installed snapshot's files, and reloads it after. */
    @Override
    public void pause() {
        if (getLifeCycleState() != LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        snapshots.invalidate();
        restore();
        node.snapshotInstalled();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void restore() throws IOException {
        SnapshotStore.Snapshot s = snapshots.latest();
        node.restoreAll(s);
        if (s != null) {
            updateLastAppliedTermIndex(s.termIndex());
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return snapshots.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        TermIndex ti = TermIndex.valueOf(entry);
        try {
            ByteString data = entry.getStateMachineLogEntry().getLogData();
            Command cmd = Command.decode(data.asReadOnlyByteBuffer());
            node.apply(cmd, ti.getIndex());
            node.snapshotWriter().logged(data.size());
        } catch (IOException | RuntimeException e) {
            // A replica that cannot apply a committed entry would diverge: stop rather than go on.
            LOG.error("cannot apply entry {}; this replica stops applying", ti, e);
            return CompletableFuture.failedFuture(e);
        }
        updateLastAppliedTermIndex(ti);
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex ti = getLastAppliedTermIndex();
        if (ti == null || ti.getIndex() <= 0) {
            return -1;
        }
        return node.snapshotForRaft(ti, snapshots);
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY); // read barrier: nothing to read here
    }

    /** Ratis stopped this member alone (not the whole server): the node starts it again. */
    @Override
    public void notifyServerShutdown(org.apache.ratis.proto.RaftProtos.RoleInfoProto roleInfo, boolean allServer) {
        if (!allServer) {
            node.onRaftMemberStopped();
        }
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        node.onLeaderChanged(newLeaderId);
    }

    @Override
    public void notifyLeaderReady() {
        node.onLeaderReady();
    }

    /**
     * A Raft entry that is not ours (a configuration) was applied. The first entry of every term is one: the new
     * leader's start-up entry. Parts of a transaction proposed in an earlier term can no longer be completed
     * then, so every member drops them at that same entry of the log.
     */
    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        TermIndex before = getLastAppliedTermIndex();
        super.notifyTermIndexUpdated(term, index);
        if (before != null && term > before.getTerm()) {
            node.onTermStarted(term);
        }
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto newRaftConfiguration) {
        node.onConfigurationChanged();
    }

    @Override
    public void notifyNotLeader(java.util.Collection<TransactionContext> pendingEntries) {
        node.onLeaderChanged(null);
    }
}
