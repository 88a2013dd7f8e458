package io.jdqlite.engine;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** This node's Ratis server: configuration, proposals and read barriers. */
final class Raft implements AutoCloseable {
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final RaftPeerId selfId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    private Raft(RaftServer server, RaftGroupId groupId, RaftPeerId selfId) {
        this.server = server;
        this.groupId = groupId;
        this.selfId = selfId;
    }

    static RaftGroupId groupId(String clusterName) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("jdqlite:" + clusterName).getBytes(StandardCharsets.UTF_8)));
    }

    static RaftPeerId peerId(long nodeId) {
        return RaftPeerId.valueOf(Long.toUnsignedString(nodeId));
    }

    static RaftPeer peer(Member m) {
        return RaftPeer.newBuilder()
                .setId(peerId(m.id()))
                .setAddress(m.raftAddress())
                .setClientAddress(m.address())
                .setStartupRole(m.role() == Role.VOTER
                        ? org.apache.ratis.proto.RaftProtos.RaftPeerRole.FOLLOWER
                        : org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER)
                .build();
    }

    static Raft start(EngineConfig config, long nodeId, StateMachine.Registry stateMachines, List<Member> initial) throws IOException {
        RaftProperties p = properties(config);
        RaftGroupId gid = groupId(config.clusterName());
        RaftGroup group = RaftGroup.valueOf(gid, initial.stream().map(Raft::peer).toList());
        RaftPeerId self = peerId(nodeId);
        org.apache.ratis.conf.Parameters parameters = new org.apache.ratis.conf.Parameters();
        AddressedToSelf addressedToSelf = new AddressedToSelf(self);
        GrpcConfigKeys.Server.setServicesCustomizer(parameters, (builder, types) -> builder.intercept(addressedToSelf));
        RaftServer server = RaftServer.newBuilder()
                .setServerId(self)
                .setParameters(parameters)
                .setGroup(group)
                .setStateMachineRegistry(stateMachines)
                .setProperties(p)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        return new Raft(server, gid, self);
    }

    /**
     * The largest log entry Ratis accepts and reads back (its appender's buffer limit is also the log reader's
     * {@code maxOpSize}). The reader's entry buffer grows by doubling from 4 KiB, capped at this limit; once it
     * reaches the limit, reading the zeros preallocated after the last entry of a segment that a crash left open
     * fails ("Resetting to invalid mark") and the member cannot start again. That happened with 4 MiB entries
     * and an 8 MiB limit after a kill -9 during a large transaction. So the limit is 1 MiB above the power of two
     * that the largest entry (a part of {@code maxEntryBytes} plus headers) makes the buffer grow to.
     */
    static long maxLogEntryBytes(int maxEntryBytes) {
        long largestEntry = maxEntryBytes + (64L << 10);
        long buffer = 4096;
        while (buffer < largestEntry) {
            buffer <<= 1;
        }
        return Math.max(buffer, 8L << 20) + (1L << 20);
    }

    private static RaftProperties properties(EngineConfig c) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(new File(c.dataDir().toFile(), "raft")));
        String bind = c.raftBindAddress();
        int colon = bind.lastIndexOf(':');
        GrpcConfigKeys.Server.setHost(p, bind.substring(0, colon));
        GrpcConfigKeys.Server.setPort(p, Integer.parseInt(bind.substring(colon + 1)));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(64L << 20, 4L * c.maxEntryBytes())));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(c.electionTimeoutMin().toMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(c.electionTimeoutMax().toMillis(), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(Math.max(3000, c.electionTimeoutMax().toMillis()), TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);
        // Linearizable reads: ReadIndex, answered locally while the leader lease holds.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(c.writeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        // Snapshots every snapshotThresholdEntries entries; the log is purged up to the snapshot.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotThresholdEntries());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, c.snapshotThresholdEntries()));
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, Math.max(1, c.snapshotThresholdEntries() / 2)));
        // Small segments so the log can be purged soon after each snapshot.
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(Math.max(4L << 20, 2L * c.maxEntryBytes() + (1 << 20))));
        long appenderBytes = maxLogEntryBytes(c.maxEntryBytes());
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(appenderBytes));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(appenderBytes + 1024));
        // Log entries kept on the heap after they are written: Ratis keeps up to 6 closed segments by default, so a
        // large transaction's parts (a segment holds two) took ~60 MiB of the leader's heap after they were
        // applied; followers that keep up read from the open segment and the last closed one.
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, 2);
        RaftServerConfigKeys.Log.Appender.setSnapshotChunkSizeMax(p, SizeInBytes.valueOf(4L << 20));
        RaftServerConfigKeys.Log.Appender.setInstallSnapshotEnabled(p, true);
        RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf(1L << 30));
        RaftServerConfigKeys.Write.setElementLimit(p, 65536);
        // Ratis keeps at least this long between two appends to a follower (1 ms by default). A single
        // writer's next entry typically comes within that of the append that carried the previous commit
        // index, so every sequential write waited out the rest of it: measured at steady state, 0 brings
        // a 3-node write from ~3.3 to ~2.4 ms p50. Slow or failing followers keep their own back-off.
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
        // No commit-index entries in the log: Ratis appends one after every commit advance, which doubled the
        // entries and fsyncs of each write on every member (measured: 2 flushes per write, ~0.8 ms each under
        // load). Like a dqlite node, a restarted member learns the commit index from the leader; quorum-loss
        // recovery takes every entry of the survivor's log anyway (Recovery).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        return p;
    }

    /**
     * Starts this node's member of the group again after Ratis stopped it (it found itself in no
     * configuration when its election timer fired). The storage is kept; the member comes back as it
     * starts on a node that waits to be added: it answers the leader again once it is in a configuration.
     */
    void restartGroup() throws IOException {
        RaftClientReply removed = server.groupManagement(GroupManagementRequest.newRemove(clientId, selfId,
                callIds.incrementAndGet(), groupId, false, false));
        if (!removed.isSuccess()) {
            throw new IOException("cannot remove the stopped Raft group: " + removed.getException());
        }
        RaftClientReply added = server.groupManagement(GroupManagementRequest.newAdd(clientId, selfId,
                callIds.incrementAndGet(), RaftGroup.valueOf(groupId), false));
        if (!added.isSuccess()) {
            throw new IOException("cannot start the Raft group again: " + added.getException());
        }
    }

    RaftServer server() {
        return server;
    }

    RaftServer.Division division() {
        try {
            return server.getDivision(groupId);
        } catch (IOException e) {
            throw new IllegalStateException("Raft group " + groupId + " is not running", e);
        }
    }

    RaftGroupId groupId() {
        return groupId;
    }

    RaftPeerId selfId() {
        return selfId;
    }

    /** Proposes a command; completes once it is committed and applied here, or fails. */
    CompletableFuture<Void> propose(byte[] data) {
        return send(Message.valueOf(UnsafeByteOperations.unsafeWrap(data)), RaftClientRequest.writeRequestType());
    }

    /** Completes once this node, as leader, confirmed its leadership and applied up to its commit index. */
    CompletableFuture<Void> readBarrier() {
        return send(Message.EMPTY, RaftClientRequest.readRequestType());
    }

    private CompletableFuture<Void> send(Message message, RaftClientRequest.Type type) {
        RaftClientRequest req = RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(selfId)
                .setGroupId(groupId)
                .setCallId(callIds.incrementAndGet())
                .setMessage(message)
                .setType(type)
                .build();
        try {
            return submit(req).thenApply(Raft::check);
        } catch (IOException | RuntimeException e) {
            // A closed or closing server: nothing was appended.
            return CompletableFuture.failedFuture(EngineException.notLeader());
        }
    }

    /**
     * Submits straight to this node's member when it takes client requests itself (Ratis' member does): the
     * server-level entry point hands every request to a pool thread and blocks the caller until it is queued,
     * two thread switches on every write and every read barrier.
     */
    private CompletableFuture<RaftClientReply> submit(RaftClientRequest req) throws IOException {
        RaftServer.Division member = server.getDivision(groupId);
        if (member instanceof RaftClientAsynchronousProtocol direct) {
            return direct.submitClientRequestAsync(req);
        }
        return server.submitClientRequestAsync(req);
    }

    private static Void check(RaftClientReply reply) {
        if (reply.isSuccess()) {
            return null;
        }
        if (reply.getNotLeaderException() != null || reply.getLeaderNotReadyException() != null) {
            throw EngineException.leadershipLost();
        }
        Exception e = reply.getException();
        throw new EngineException(ErrorCodes.SQLITE_IOERR, "replication failed: " + (e == null ? "unknown" : e.getMessage()), e);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
