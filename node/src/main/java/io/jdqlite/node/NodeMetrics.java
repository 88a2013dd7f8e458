package io.jdqlite.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Meters other parts of the node record into; exported at {@code /q/metrics}. */
@ApplicationScoped
public class NodeMetrics {
    /** Prometheus name {@code jdqlite_requests_seconds}, tagged {@code type}. */
    static final String REQUEST_TIMER = "jdqlite.requests";

    private final MeterRegistry registry;

    @Inject
    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The latency timer of one dqlite request type (e.g. "exec_sql"); the same timer for the same type. */
    public Timer requestTimer(String requestType) {
        return Timer.builder(REQUEST_TIMER)
                .description("dqlite wire protocol requests served, by request type")
                .tag("type", requestType)
                .publishPercentileHistogram()
                .register(registry);
    }
}
