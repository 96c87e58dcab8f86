package io.splitrank.app.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.splitrank.app.Sha256;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.experiments.Arm;
import io.splitrank.experiments.Experiment;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a client needs to assign locally with a GrowthBook-compatible SDK: per running
 * experiment the phase's seed, hash attribute and version, coverage, weights, condition and layer
 * (as GrowthBook's namespace). Served with an ETag so that clients can poll cheaply.
 */
@RestController
@Tag(name = "Assignment")
class SdkConfigController {

    private final RunningExperiments running;
    private final JsonMapper json;
    private volatile Rendered rendered = new Rendered(-1, "", "");

    SdkConfigController(RunningExperiments running, JsonMapper json) {
        this.running = running;
        this.json = json;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SdkExperiment(
            String key,
            int phase,
            String seed,
            String hashAttribute,
            int hashVersion,
            double coverage,
            List<String> variations,
            List<Double> weights,
            List<SdkArm> arms,
            Map<String, Object> condition,
            List<Object> namespace) {}

    record SdkArm(String key, String model, double weight) {}

    record SdkConfig(String hashing, List<SdkExperiment> experiments) {}

    private record Rendered(long version, String body, String etag) {}

    @GetMapping("/api/v1/sdk-config")
    @Operation(
            summary =
                    "Running experiments in the form a client needs to assign locally (ETag, If-None-Match)")
    ResponseEntity<String> sdkConfig(
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        Rendered r = render();
        if (ifNoneMatch != null && ifNoneMatch.contains(r.etag())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(r.etag()).build();
        }
        return ResponseEntity.ok()
                .eTag(r.etag())
                .cacheControl(CacheControl.noCache())
                .contentType(MediaType.APPLICATION_JSON)
                .body(r.body());
    }

    private Rendered render() {
        RunningExperiments.Snapshot snapshot = running.current();
        Rendered r = rendered;
        if (r.version() == snapshot.version()) {
            return r;
        }
        List<SdkExperiment> experiments =
                snapshot.all().stream().map(live -> toSdk(live.experiment())).toList();
        String body = json.writeValueAsString(new SdkConfig("growthbook-fnv1a32", experiments));
        r = new Rendered(snapshot.version(), body, "\"" + Sha256.hex(body).substring(0, 32) + "\"");
        rendered = r;
        return r;
    }

    private static SdkExperiment toSdk(Experiment e) {
        return new SdkExperiment(
                e.key(),
                e.phase(),
                e.phaseSeed(),
                e.hashAttribute(),
                e.hashVersion(),
                e.coverage(),
                e.arms().stream().map(Arm::key).toList(),
                e.weights(),
                e.arms().stream().map(a -> new SdkArm(a.key(), a.model(), a.weight())).toList(),
                e.condition().isEmpty() ? null : e.condition(),
                e.hasLayer()
                        ? List.of(e.layer(), e.layerRange().start(), e.layerRange().end())
                        : null);
    }
}
