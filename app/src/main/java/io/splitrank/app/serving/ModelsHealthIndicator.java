package io.splitrank.app.serving;

import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code models} health component: up while at least one model is served, with the loaded keys
 * and, for each model that failed to load, the reason; down when none is served (every rank call
 * would fail).
 */
@Component("models")
class ModelsHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    ModelsHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        Map<String, String> failures = registry.failures();
        Health.Builder health = registry.loadedKeys().isEmpty() ? Health.down() : Health.up();
        health.withDetail("loaded", registry.loadedKeys());
        if (!failures.isEmpty()) {
            health.withDetail("failed", failures);
        }
        return health.build();
    }
}
