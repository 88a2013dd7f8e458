package io.jdqlite.node;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.HandoverOutcome;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown (SIGTERM): before the client port closes, a leader hands leadership to the most
 * caught-up voter, so writes stall for a leader change instead of an election timeout.
 */
@ApplicationScoped
public class Handover {
    private static final Logger LOG = Logger.getLogger(Handover.class);

    @Inject
    Engine engine;

    @Inject
    NodeConfig config;

    // Runs before the other shutdown observers (the gateway's among them).
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        if (!engine.isLeader()) {
            return;
        }
        long start = System.nanoTime();
        HandoverOutcome outcome = engine.handover(config.handoverTimeout());
        long ms = (System.nanoTime() - start) / 1_000_000;
        switch (outcome) {
            case MOVED -> LOG.infof("handover: leadership moved to node %s in %d ms",
                    engine.leader().map(m -> Long.toUnsignedString(m.id())).orElse("?"), ms);
            case NOBODY_ANSWERING -> LOG.info("handover: no other voter answers; stopping without handing leadership over");
            case FAILED -> LOG.warnf("handover: leadership did not move (after %d ms); the cluster elects a new leader", ms);
        }
    }
}
