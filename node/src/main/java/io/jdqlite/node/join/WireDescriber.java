package io.jdqlite.node.join;

import io.jdqlite.engine.Member;
import io.jdqlite.engine.MemberDescriber;
import io.jdqlite.engine.MemberMetadata;
import io.jdqlite.node.gateway.NodeMetadata;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Role management's view of members' failure domains and weights: DESCRIBE over the wire (as go-dqlite's
 * app asks), this node's own answer read locally.
 */
public final class WireDescriber implements MemberDescriber {
    private static final Logger LOG = Logger.getLogger(WireDescriber.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final long selfId;
    private final NodeMetadata self;

    public WireDescriber(long selfId, NodeMetadata self) {
        this.selfId = selfId;
        this.self = self;
    }

    @Override
    public Optional<MemberMetadata> describe(Member member) {
        if (member.id() == selfId) {
            return Optional.of(new MemberMetadata(self.failureDomain(), self.weight()));
        }
        try {
            Response r = WireCall.send(member.address(), new Request.Describe(0), TIMEOUT);
            if (r instanceof Response.Metadata m) {
                return Optional.of(new MemberMetadata(m.failureDomain(), m.weight()));
            }
            LOG.debugf("DESCRIBE of node %s answered %s", Long.toUnsignedString(member.id()), r);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("DESCRIBE of node %s at %s failed: %s", Long.toUnsignedString(member.id()), member.address(), e);
        }
        return Optional.empty();
    }
}
