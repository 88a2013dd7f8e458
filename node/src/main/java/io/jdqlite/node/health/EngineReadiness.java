package io.jdqlite.node.health;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once this node is a member of the Raft group and has applied everything it knows is committed (or,
 * while it writes a snapshot and applies nothing, its Raft log has it all).
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {
    @Inject
    Engine engine;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("raft");
        EngineStatus s;
        try {
            java.util.Optional<String> failure = engine.failure();
            if (failure.isPresent()) {
                return b.down().withData("error", failure.get()).build();
            }
            s = engine.status();
        } catch (RuntimeException e) {
            return b.down().withData("error", String.valueOf(e.getMessage())).build();
        }
        return b.status(s.member() && s.caughtUp())
                .withData("member", s.member())
                .withData("caughtUp", s.caughtUp())
                .withData("role", String.valueOf(s.role()))
                .withData("leaderId", Long.toUnsignedString(s.leaderId()))
                .withData("term", s.term())
                .withData("commitIndex", s.commitIndex())
                .withData("appliedIndex", s.appliedIndex())
                .build();
    }
}
