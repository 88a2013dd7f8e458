package io.jdqlite.node;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.ToDoubleFunction;

/**
 * Exports {@link Engine#status()} as meters. One scrape reads many meters, so the status is
 * taken at most once per {@link #MAX_AGE_NANOS}.
 */
@ApplicationScoped
class EngineMetrics {
    private static final long MAX_AGE_NANOS = 500_000_000L;

    private Engine engine;
    private EngineStatus cached;
    private long cachedAt;

    void register(@Observes StartupEvent event, Engine engine, MeterRegistry registry) {
        this.engine = engine;
        gauge(registry, "jdqlite.raft.term", "Current Raft term", EngineStatus::term);
        gauge(registry, "jdqlite.raft.leader", "1 when this node is the leader, else 0", s -> s.leader() ? 1 : 0);
        gauge(registry, "jdqlite.raft.leader.id", "Id of the leader this node knows (0: none)", EngineStatus::leaderId);
        gauge(registry, "jdqlite.raft.commit.index", "Raft commit index", EngineStatus::commitIndex);
        gauge(registry, "jdqlite.raft.applied.index", "Raft index applied to the databases", EngineStatus::appliedIndex);
        gauge(registry, "jdqlite.raft.snapshot.index", "Raft index of the latest snapshot", EngineStatus::snapshotIndex);
        gauge(registry, "jdqlite.raft.members", "Members in the Raft configuration", s -> s.members().size());
        gauge(registry, "jdqlite.raft.replication.lag",
                "On the leader, the most entries any member's log is behind the commit index (0 elsewhere)",
                EngineMetrics::replicationLag);
        gauge(registry, "jdqlite.wal.pages", "WAL pages not yet checkpointed (leader)", EngineStatus::walPages);
        counter(registry, "jdqlite.checkpoints", "WAL checkpoints run", EngineStatus::checkpoints);
        counter(registry, "jdqlite.snapshots.taken", "Raft snapshots taken", EngineStatus::snapshotsTaken);
        counter(registry, "jdqlite.snapshots.installed", "Raft snapshots installed from the leader",
                EngineStatus::snapshotsInstalled);
    }

    /** A member that stays behind (down, cut off, or not catching up) is what an alert should see. */
    static long replicationLag(EngineStatus status) {
        if (!status.leader()) {
            return 0;
        }
        long most = 0;
        for (EngineStatus.MemberStatus m : status.members()) {
            most = Math.max(most, m.lag());
        }
        return most;
    }

    private void gauge(MeterRegistry registry, String name, String help, ToDoubleFunction<EngineStatus> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.status())).description(help).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<EngineStatus> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.status())).description(help).register(registry);
    }

    private synchronized EngineStatus status() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt > MAX_AGE_NANOS) {
            cached = engine.status();
            cachedAt = now;
        }
        return cached;
    }
}
