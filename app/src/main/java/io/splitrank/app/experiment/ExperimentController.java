package io.splitrank.app.experiment;

import io.splitrank.app.problem.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/experiments")
@Tag(name = "Experiments", description = "Define, edit and run experiments")
class ExperimentController {

    private final ExperimentService service;
    private final ModelCatalog models;

    ExperimentController(ExperimentService service, ModelCatalog models) {
        this.service = service;
        this.models = models;
    }

    @PostMapping
    @Operation(summary = "Create an experiment (as a draft)")
    ResponseEntity<ExperimentView> create(@RequestBody ExperimentDocument document) {
        ExperimentView created = service.create(document);
        return ResponseEntity.created(URI.create("/api/v1/experiments/" + created.key()))
                .body(created);
    }

    @GetMapping
    @Operation(summary = "List experiments, newest first")
    List<ExperimentView> list(
            @Parameter(description = "draft, running, stopped or archived")
                    @RequestParam(required = false)
                    String status,
            @Parameter(description = "only this layer") @RequestParam(required = false)
                    String layer) {
        ExperimentStatus parsed = null;
        if (status != null) {
            parsed = ExperimentStatus.fromId(status);
            if (parsed == null) {
                throw ApiProblemException.badRequest(
                        "status", "must be draft, running, stopped or archived");
            }
        }
        return service.list(parsed, layer).stream().map(v -> v.withModelWarnings(models)).toList();
    }

    @GetMapping("/{key}")
    @Operation(summary = "One experiment")
    ExperimentView get(@PathVariable String key) {
        return service.get(key).withModelWarnings(models);
    }

    @PatchMapping(
            path = "/{key}",
            consumes = {"application/merge-patch+json", "application/json"})
    @Operation(
            summary =
                    "Edit with a JSON merge patch; changing arms, weights, seed, hash attribute or version of a"
                            + " started experiment starts a new phase")
    ExperimentView patch(@PathVariable String key, @RequestBody Map<String, Object> mergePatch) {
        return service.patch(key, mergePatch);
    }

    @PostMapping("/{key}/start")
    @Operation(summary = "Start (or restart) the experiment: it assigns units from now on")
    ExperimentView start(@PathVariable String key) {
        return service.start(key);
    }

    @PostMapping("/{key}/stop")
    @Operation(summary = "Stop assigning units")
    ExperimentView stop(@PathVariable String key) {
        return service.stop(key);
    }

    @PostMapping("/{key}/archive")
    @Operation(summary = "Archive a stopped or draft experiment; frees its layer range")
    ExperimentView archive(@PathVariable String key) {
        return service.archive(key);
    }

    @PostMapping("/{key}/ramp/advance")
    @Operation(
            summary =
                    "Advance the ramp plan to its next step now (a manual plan waits for this; an automatic one"
                            + " may be advanced ahead of its minimums)")
    ExperimentView advanceRamp(@PathVariable String key) {
        return service.advanceRampByHand(key).withModelWarnings(models);
    }

    /** The experiment's webhook secret. */
    record WebhookSecret(String secret, String header, String algorithm) {
        WebhookSecret(String secret) {
            this(secret, "X-Splitrank-Signature", "sha256=hex(HMAC-SHA256(secret, body))");
        }
    }

    @GetMapping("/{key}/webhook-secret")
    @Operation(
            summary =
                    "The secret that signs the experiment's webhook calls (its owner or an admin only)")
    WebhookSecret webhookSecret(@PathVariable String key) {
        return new WebhookSecret(service.webhookSecret(key));
    }

    @PostMapping("/{key}/webhook-secret/rotate")
    @Operation(summary = "Replace the webhook secret (its owner or an admin only)")
    WebhookSecret rotateWebhookSecret(@PathVariable String key) {
        return new WebhookSecret(service.rotateWebhookSecret(key));
    }

    @GetMapping("/{key}/phases")
    @Operation(
            summary =
                    "The phases the experiment ran in, with the seed and arms of each; results are per phase")
    List<PhaseView> phases(@PathVariable String key) {
        return service.phases(key);
    }

    @GetMapping("/{key}/audit")
    @Operation(summary = "Every change to the experiment: who, when, before and after")
    List<AuditEntry> audit(@PathVariable String key) {
        return service.auditLog(key);
    }
}
