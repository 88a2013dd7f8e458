package io.jdqlite.node.health;

import io.jdqlite.engine.Engine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Ends the process when the engine has failed for good (its Raft member stopped on an error, out of memory
 * say): such a process still answers on its ports while it serves nothing. Crash-only, as after a kill -9:
 * the Raft log holds every acknowledged write, and whatever supervises the node (Kubernetes, systemd,
 * {@code jdqlite local}'s report) starts it again or says so. The liveness check reports the same failure
 * meanwhile. Threads deadlocked on locks are such a failure too (the Raft member stops answering for good):
 * the log gets their stacks first.
 */
@ApplicationScoped
public class FailedEngineExit {
    private static final Logger LOG = Logger.getLogger(FailedEngineExit.class);
    /** Exit status of a node that ended itself on an engine failure (EX_SOFTWARE). */
    static final int EXIT_STATUS = 70;
    private static final long CHECK_SECONDS = 1;
    /** Deadlock detection stops the JVM at a safepoint: every 10 checks, not on each. */
    private static final int DEADLOCK_CHECK_EVERY = 10;
    private int checks;

    @Inject
    Engine engine;

    private ScheduledExecutorService checker;

    void onStart(@Observes StartupEvent event) {
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jdqlite-failure-check");
            t.setDaemon(true);
            return t;
        });
        checker.scheduleWithFixedDelay(this::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    private void check() {
        Optional<String> failure;
        try {
            failure = engine.failure();
        } catch (RuntimeException e) {
            return; // closing
        }
        if (failure.isPresent()) {
            LOG.errorf("the engine has failed: %s; exiting (status %d) so that the node is started again",
                    failure.get(), EXIT_STATUS);
            // halt, not exit: shutdown hooks would hand over and close through the failed member
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
        if (++checks % DEADLOCK_CHECK_EVERY != 0) {
            return;
        }
        Optional<String> deadlock = Deadlocks.find();
        if (deadlock.isPresent()) {
            LOG.errorf("%s%nexiting (status %d) so that the node is started again", deadlock.get(), EXIT_STATUS);
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
