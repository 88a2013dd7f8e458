package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/** On the leader: how long each follower and listener has not answered it (empty elsewhere). */
final class FollowerSilence {
    private static final Logger LOG = LoggerFactory.getLogger(FollowerSilence.class);

    private FollowerSilence() {
    }

    /** Milliseconds since each member last answered the leader, by member id. */
    static Map<Long, Long> millisByMember(Node node) {
        Map<Long, Long> out = new HashMap<>();
        try {
            RaftServer.Division d = node.raft().division();
            RoleInfoProto info = d.getInfo().getRoleInfoProto();
            if (info.hasLeaderInfo()) {
                for (ServerRpcProto f : info.getLeaderInfo().getFollowerInfoList()) {
                    out.put(Long.parseUnsignedLong(f.getId().getId().toStringUtf8()), f.getLastRpcElapsedTimeMs());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("no follower information", e);
        }
        return out;
    }
}
