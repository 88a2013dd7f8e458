package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.InstallSnapshotRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.ReadIndexRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses Raft requests addressed to another member id. Ratis routes them by group only, so a node that
 * came back under a fresh id at the address of its lost predecessor would otherwise follow the leader's
 * stream for the predecessor, and answer vote requests meant for it: one process counted as two voters.
 */
final class AddressedToSelf implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(AddressedToSelf.class);
    private final ByteString self;

    AddressedToSelf(RaftPeerId self) {
        this.self = self.toByteString();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        if (!RaftServerProtocolServiceGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName())) {
            return delegate;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                ByteString target = targetOf(message);
                if (target != null && !target.isEmpty() && !target.equals(self)) {
                    refused = true;
                    LOG.debug("refusing {} for member {}: this is member {}", call.getMethodDescriptor().getBareMethodName(),
                            target.toStringUtf8(), self.toStringUtf8());
                    call.close(Status.FAILED_PRECONDITION.withDescription("this address now serves member "
                            + self.toStringUtf8() + ", not " + target.toStringUtf8()), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    /** The member a Raft server request is for (its reply id), or null for other messages. */
    static ByteString targetOf(Object message) {
        RaftRpcRequestProto rpc;
        if (message instanceof AppendEntriesRequestProto m) {
            rpc = m.getServerRequest();
        } else if (message instanceof RequestVoteRequestProto m) {
            rpc = m.getServerRequest();
        } else if (message instanceof InstallSnapshotRequestProto m) {
            rpc = m.getServerRequest();
        } else if (message instanceof StartLeaderElectionRequestProto m) {
            rpc = m.getServerRequest();
        } else if (message instanceof ReadIndexRequestProto m) {
            rpc = m.getServerRequest();
        } else {
            return null;
        }
        return rpc.getReplyId();
    }
}
