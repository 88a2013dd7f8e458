package io.jdqlite.node;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import io.jdqlite.node.join.ClusterJoiner;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/** The node's one {@link Engine}: started with the application (not on first use) and closed at shutdown. */
@ApplicationScoped
public class EngineProducer {
    private static final Logger LOG = Logger.getLogger(EngineProducer.class);

    @Produces
    @Singleton
    @Startup
    Engine engine(NodeConfig nodeConfig) {
        EngineConfig config = EngineConfigs.from(nodeConfig);
        LOG.infof("starting engine: id %s, client address %s, Raft address %s, data %s, founders %s, join %s",
                Long.toUnsignedString(config.nodeId()), config.address(), config.raftAddress(),
                config.dataDir().toAbsolutePath(), config.initialMembers(), config.joinAddresses());
        Engine engine;
        try {
            if (nodeConfig.recover()) {
                recover(config);
            }
            engine = Engine.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the engine in " + config.dataDir().toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
        LOG.infof("engine started as node %s", Long.toUnsignedString(engine.nodeId()));
        joiner = ClusterJoiner.startIfNeeded(engine, config);
        return engine;
    }

    private ClusterJoiner joiner;

    /** JDQLITE_RECOVER: this node alone, as voter, with everything its log holds. */
    private static void recover(EngineConfig config) throws IOException {
        LOG.warnf("jdqlite.recover: rebuilding the cluster as this node alone from %s", config.dataDir().toAbsolutePath());
        long index = Engine.recoverAsSoleVoter(config, msg -> LOG.info("recover: " + msg));
        LOG.warnf("jdqlite.recover: done at index %d; other members must be wiped and join again", index);
    }

    void close(@Disposes Engine engine) {
        if (joiner != null) {
            joiner.close();
        }
        LOG.info("stopping engine");
        engine.close();
    }
}
