package io.jdqlite.node.health;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the engine answers for its state; a wedged or failed engine makes the node restartable. */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {
    @Inject
    Engine engine;

    @Override
    public HealthCheckResponse call() {
        try {
            java.util.Optional<String> failure = engine.failure();
            if (failure.isPresent()) {
                return HealthCheckResponse.named("engine").down().withData("error", failure.get()).build();
            }
            EngineStatus s = engine.status();
            return HealthCheckResponse.named("engine").up()
                    .withData("nodeId", Long.toUnsignedString(s.nodeId()))
                    .withData("address", s.address())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("engine").down()
                    .withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
