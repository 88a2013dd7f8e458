package io.jdqlite.node.gateway;

import io.jdqlite.engine.Engine;
import io.jdqlite.node.NodeConfig;
import io.jdqlite.node.join.WireDescriber;
import io.jdqlite.wire.HostPort;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Starts the dqlite protocol server on the client port when the node starts, and stops it on shutdown. */
@ApplicationScoped
public class GatewayLifecycle {
    private static final Logger LOG = Logger.getLogger(GatewayLifecycle.class);
    /** Where WEIGHT changes are kept, inside the data directory. */
    static final String METADATA_FILE = "node-metadata.properties";

    @Inject
    Engine engine;

    @Inject
    NodeConfig config;

    private DqliteServer server;
    private NodeMetadata metadata;

    void onStart(@Observes StartupEvent event) {
        String bind = config.bind().orElse(config.address());
        HostPort hp = HostPort.parseBindable(bind);
        try {
            metadata = NodeMetadata.persistent(Path.of(config.dataDir()).resolve(METADATA_FILE),
                    config.failureDomain(), config.weight());
            server = new DqliteServer(engine, metadata, config.maxMessageSize(), config.maxConnections());
            engine.describeMembersWith(new WireDescriber(engine.nodeId(), metadata));
            server.start(hp.host(), hp.port());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the dqlite server on " + bind, e);
        }
        LOG.infof("dqlite protocol server listening on %s (advertised as %s, %s transport)", bind, config.address(), server.transport());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** This node's DESCRIBE metadata (null before startup). */
    public NodeMetadata metadata() {
        return metadata;
    }
}
