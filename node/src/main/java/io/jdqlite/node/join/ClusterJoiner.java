package io.jdqlite.node.join;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Join (go-dqlite's app join): a node started empty with join addresses asks the cluster's leader to add
 * it (ADD), retrying until it is a member; the leader's role management then promotes it once it can.
 * A Raft address other than the default offset travels as {@code client/raft} in the ADD address.
 */
public final class ClusterJoiner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterJoiner.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private final Engine engine;
    private final EngineConfig config;
    private final Thread thread;
    private volatile boolean closed;

    private ClusterJoiner(Engine engine, EngineConfig config) {
        this.engine = engine;
        this.config = config;
        this.thread = new Thread(this::run, "jdqlite-join");
        this.thread.setDaemon(true);
    }

    /** Starts joining in the background when this node is not yet a member, has join addresses and manages roles. */
    public static ClusterJoiner startIfNeeded(Engine engine, EngineConfig config) {
        ClusterJoiner j = new ClusterJoiner(engine, config);
        // With manual roles (the operator) an empty node waits to be added instead of adding itself.
        if (config.roles().enabled() && !config.joinAddresses().isEmpty() && !engine.status().member()) {
            j.thread.start();
        }
        return j;
    }

    /** The address sent in ADD: the client address, plus the Raft address when it is not the default. */
    static String addAddress(EngineConfig c) {
        String derived = EngineConfig.raftAddressFor(c.address(), EngineConfig.DEFAULT_RAFT_PORT_OFFSET);
        return derived.equals(c.raftAddress()) ? c.address() : c.address() + "/" + c.raftAddress();
    }

    private void run() {
        long delay = 500;
        while (!closed && !engine.status().member()) {
            try {
                String leader = findLeader(config.joinAddresses());
                Response r = WireCall.send(leader, new Request.Add(engine.nodeId(), addAddress(config)), CALL_TIMEOUT);
                if (r instanceof Response.Failure f && !f.message().contains("already")) {
                    LOG.infof("join: %s refused to add node %s: %s", leader, Long.toUnsignedString(engine.nodeId()), f.message());
                } else {
                    LOG.infof("join: asked %s to add node %s as %s", leader, Long.toUnsignedString(engine.nodeId()), addAddress(config));
                    // At once, not after membership: a dead voter left in the configuration would count
                    // against the quorum of the change that brings this node in.
                    removeEarlierIncarnations();
                    awaitMembership(Duration.ofSeconds(30));
                }
            } catch (IOException | RuntimeException e) {
                LOG.infof("join: no leader reachable through %s yet (%s); retrying", config.joinAddresses(), e.toString());
            }
            sleep(delay);
            delay = Math.min(5000, delay * 2);
        }
        if (!closed) {
            LOG.infof("join: node %s is a member", Long.toUnsignedString(engine.nodeId()));
        }
    }

    /**
     * Members at this node's own address under another id are earlier lives of this node whose data is gone:
     * removing them (always quorum-safe, they cannot answer) keeps the configuration from counting them.
     */
    private void removeEarlierIncarnations() {
        for (int attempt = 0; attempt < 10 && !closed; attempt++) {
            try {
                String leader = findLeader(config.joinAddresses());
                Response r = WireCall.send(leader, new Request.Cluster(Protocol.CLUSTER_FORMAT_V1), CALL_TIMEOUT);
                if (!(r instanceof Response.Servers servers)) {
                    throw new IOException("CLUSTER answered " + r);
                }
                boolean allGone = true;
                for (Response.ServerInfo s : servers.servers()) {
                    if (s.id() != engine.nodeId() && s.address().equals(config.address())) {
                        allGone = false;
                        Response removed = WireCall.send(leader, new Request.Remove(s.id()), CALL_TIMEOUT);
                        LOG.infof("join: removing node %s, an earlier incarnation at %s: %s",
                                Long.toUnsignedString(s.id()), s.address(), removed);
                    }
                }
                if (allGone) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                LOG.infof("join: cannot check for earlier incarnations yet (%s); retrying", e.toString());
            }
            sleep(1000);
        }
    }

    private static String findLeader(List<String> addresses) throws IOException {
        IOException last = null;
        for (String a : addresses) {
            try {
                Response r = WireCall.send(a, new Request.Leader(), CALL_TIMEOUT);
                if (r instanceof Response.Server s && s.address() != null && !s.address().isEmpty()) {
                    return s.address();
                }
            } catch (IOException e) {
                last = e;
            }
        }
        throw last != null ? last : new IOException("no node of " + addresses + " knows a leader");
    }

    private void awaitMembership(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (!closed && !engine.status().member() && System.nanoTime() < end) {
            sleep(200);
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
