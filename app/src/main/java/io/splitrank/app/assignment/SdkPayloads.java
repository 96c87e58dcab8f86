package io.splitrank.app.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.splitrank.app.Sha256;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.experiments.Arm;
import io.splitrank.experiments.Experiment;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client needs to assign locally, rendered once per change of the running experiments: the
 * SDK configuration ({@code GET /api/v1/sdk-config}) and GrowthBook's SDK payload ({@code GET
 * /api/features/{clientKey}}). Both come from the same in-memory snapshot that {@code /assign}
 * hashes with, so a GrowthBook SDK given either assigns every unit as {@code /assign} does.
 *
 * <p>In the GrowthBook payload each running experiment is a feature named by its key, whose value
 * is the unit's arm key: one experiment rule (variations = the arm keys, the phase's seed, hash
 * attribute and version, coverage, weights, the layer as GrowthBook's namespace, the targeting
 * condition, the phase, and per arm its key and model in {@code meta}) and the control arm's key as
 * the default value, which a unit outside the experiment gets with {@code inExperiment: false}.
 */
@Component
class SdkPayloads {

    /** The hashing the SDK configuration announces. */
    static final String HASHING = "growthbook-fnv1a32";

    private final RunningExperiments running;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicReference<Rendered> sdkConfig =
            new AtomicReference<>(new Rendered(-1, "", ""));
    private final AtomicReference<Rendered> features =
            new AtomicReference<>(new Rendered(-1, "", ""));

    SdkPayloads(RunningExperiments running, JsonMapper json, Clock clock) {
        this.running = running;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A rendered payload.
     *
     * @param version the snapshot version it was rendered from
     * @param body the JSON
     * @param etag a strong ETag of the body, quoted
     */
    record Rendered(long version, String body, String etag) {}

    // --- GET /api/v1/sdk-config

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

    // --- GET /api/features/{clientKey}: GrowthBook's SDK payload

    /**
     * GrowthBook's SDK payload.
     *
     * @param features the running experiments, by key
     * @param dateUpdated when this node first saw the running experiments as they are now
     */
    record FeaturesPayload(Map<String, Feature> features, String dateUpdated) {}

    /** A GrowthBook feature: the control arm's key by default, and the experiment's rule. */
    record Feature(String defaultValue, List<ExperimentRule> rules) {}

    /** A GrowthBook experiment rule; {@code phase} is a string, as in GrowthBook. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExperimentRule(
            String key,
            List<String> variations,
            List<Double> weights,
            double coverage,
            String hashAttribute,
            int hashVersion,
            String seed,
            List<Object> namespace,
            Map<String, Object> condition,
            String phase,
            String name,
            List<VariationMeta> meta) {}

    /** GrowthBook's per-variation meta, with the arm's ranking model. */
    record VariationMeta(String key, String name, String model) {}

    /** The SDK configuration of the current snapshot. */
    Rendered sdkConfig() {
        return current(
                sdkConfig,
                snapshot ->
                        new SdkConfig(
                                HASHING,
                                snapshot.all().stream()
                                        .map(live -> toSdk(live.experiment()))
                                        .toList()));
    }

    /** GrowthBook's SDK payload of the current snapshot. */
    Rendered features() {
        return current(
                features,
                snapshot -> {
                    Map<String, Feature> byKey = new LinkedHashMap<>();
                    for (RunningExperiments.LiveExperiment live : snapshot.all()) {
                        Experiment e = live.experiment();
                        byKey.put(e.key(), new Feature(e.control().key(), List.of(toRule(e))));
                    }
                    return new FeaturesPayload(byKey, clock.instant().toString());
                });
    }

    /**
     * The payload of the current snapshot: rendered once per snapshot version and kept in {@code
     * cache} (two threads may both render a new version; either result describes the same
     * snapshot).
     */
    private Rendered current(
            AtomicReference<Rendered> cache,
            Function<RunningExperiments.Snapshot, Object> payload) {
        RunningExperiments.Snapshot snapshot = running.current();
        Rendered r = cache.get();
        if (r.version() != snapshot.version()) {
            r = rendered(snapshot.version(), payload.apply(snapshot));
            cache.set(r);
        }
        return r;
    }

    private Rendered rendered(long version, Object payload) {
        String body = json.writeValueAsString(payload);
        return new Rendered(version, body, "\"" + Sha256.hex(body).substring(0, 32) + "\"");
    }

    private static SdkExperiment toSdk(Experiment e) {
        return new SdkExperiment(
                e.key(),
                e.phase(),
                e.phaseSeed(),
                e.hashAttribute(),
                e.hashVersion(),
                e.coverage(),
                variations(e),
                e.weights(),
                e.arms().stream().map(a -> new SdkArm(a.key(), a.model(), a.weight())).toList(),
                condition(e),
                namespace(e));
    }

    private static ExperimentRule toRule(Experiment e) {
        return new ExperimentRule(
                e.key(),
                variations(e),
                e.weights(),
                e.coverage(),
                e.hashAttribute(),
                e.hashVersion(),
                e.phaseSeed(),
                namespace(e),
                condition(e),
                Integer.toString(e.phase()),
                e.key(),
                e.arms().stream()
                        .map(a -> new VariationMeta(a.key(), a.name(), a.model()))
                        .toList());
    }

    /** GrowthBook's variations: the arm keys, control first. */
    private static List<String> variations(Experiment e) {
        return e.arms().stream().map(Arm::key).toList();
    }

    /** The targeting condition, or null (absent) when it targets everyone. */
    private static Map<String, Object> condition(Experiment e) {
        return e.condition().isEmpty() ? null : e.condition();
    }

    /** The layer as GrowthBook's namespace {@code [name, start, end]}, or null without a layer. */
    private static List<Object> namespace(Experiment e) {
        return e.hasLayer()
                ? List.of(e.layer(), e.layerRange().start(), e.layerRange().end())
                : null;
    }
}
