package io.splitrank.app.serving;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "The ranking models arms may name")
class ModelController {

    private final ModelRegistry registry;

    ModelController(ModelRegistry registry) {
        this.registry = registry;
    }

    /** A model that did not load, and why. */
    record Failure(String key, String reason) {}

    record ModelsResponse(List<ModelInfo> models, List<Failure> failures, Instant loadedAt) {}

    @GetMapping
    @Operation(summary = "The loaded models, and those that failed to load with the reason")
    ModelsResponse list() {
        return response();
    }

    @PostMapping("/reload")
    @Operation(
            summary = "Load the models again and swap them in without a restart (admin)",
            description =
                    "Requests in flight finish on the old models, which are closed afterwards.")
    ModelsResponse reload() {
        registry.reload();
        return response();
    }

    private ModelsResponse response() {
        ModelRegistry.Generation generation = registry.generation();
        return new ModelsResponse(
                generation.models().values().stream().map(e -> e.ranker.info()).toList(),
                generation.failures().entrySet().stream()
                        .map(e -> new Failure(e.getKey(), e.getValue()))
                        .toList(),
                generation.loadedAt());
    }
}
