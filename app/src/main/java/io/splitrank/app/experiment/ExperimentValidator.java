package io.splitrank.app.experiment;

import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import io.splitrank.app.problem.RequestBodyCheck;
import io.splitrank.app.webhook.WebhookAddresses;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks an experiment document as a whole and fills in the defaults, naming every field at fault
 * in one answer rather than the first only; as a {@link RequestBodyCheck}, also beside the problems
 * of a document Jackson could read only in part (an unknown property, a value of the wrong type).
 */
@Component
class ExperimentValidator implements RequestBodyCheck<ExperimentDocument> {

    static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern MODEL = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    static final Pattern METRIC =
            Pattern.compile(
                    "(ctr|cvr|ctcvr|ecpm|value_per_unit|impressions_per_unit|conversion_rate|(cvr|ctcvr|conversion_rate):[a-z0-9_-]{1,32})");

    /** The primary metric of an experiment that names none. */
    static final String DEFAULT_PRIMARY = "ecpm";

    static final double WEIGHT_TOLERANCE = 0.001;

    /** Keys that would collide with the dashboard's own paths under /experiments/. */
    static final Set<String> RESERVED_KEYS = Set.of("new");

    private final ModelCatalog models;
    private final WebhookAddresses webhooks;

    ExperimentValidator(ModelCatalog models, WebhookAddresses webhooks) {
        this.models = models;
        this.webhooks = webhooks;
    }

    @Override
    public Class<ExperimentDocument> bodyType() {
        return ExperimentDocument.class;
    }

    @Override
    public void check(ExperimentDocument doc, List<FieldProblem> problems) {
        try {
            validate(doc);
        } catch (ApiProblemException e) {
            problems.addAll(e.errors());
        }
    }

    /** The document with defaults filled in, or a 400 naming every invalid field. */
    ExperimentDocument validate(ExperimentDocument doc) {
        List<FieldProblem> errors = new ArrayList<>();
        if (doc.key() == null || !KEY.matcher(doc.key()).matches()) {
            errors.add(
                    new FieldProblem("key", "required, and must match [a-z0-9][a-z0-9_-]{0,63}"));
        } else if (RESERVED_KEYS.contains(doc.key())) {
            errors.add(
                    new FieldProblem(
                            "key",
                            doc.key()
                                    + " is reserved (the dashboard's /experiments/"
                                    + doc.key()
                                    + ")"));
        }
        if (doc.name() != null && doc.name().length() > 200) {
            errors.add(new FieldProblem("name", "at most 200 characters"));
        }
        if (doc.hashAttribute() != null && !ATTRIBUTE.matcher(doc.hashAttribute()).matches()) {
            errors.add(new FieldProblem("hashAttribute", "must be an attribute name"));
        }
        if (doc.seed() != null && (doc.seed().isBlank() || doc.seed().length() > 200)) {
            errors.add(new FieldProblem("seed", "must be 1 to 200 characters"));
        }
        if (doc.hashVersion() != null && doc.hashVersion() != 1 && doc.hashVersion() != 2) {
            errors.add(new FieldProblem("hashVersion", "must be 1 or 2"));
        }
        if (doc.coverage() != null && !(doc.coverage() >= 0 && doc.coverage() <= 1)) {
            errors.add(new FieldProblem("coverage", "must be in [0, 1]"));
        }
        checkLayer(doc, errors);
        List<ExperimentDocument.Arm> arms = checkArms(doc.arms(), errors);
        checkMetrics(doc.metrics(), errors);
        checkAnalysis(doc.analysis(), errors);
        checkRampPlan(doc.rampPlan(), errors);
        if (doc.type() != null
                && !doc.type().equals(ExperimentDocument.AB)
                && !doc.type().equals(ExperimentDocument.INTERLEAVING)) {
            errors.add(new FieldProblem("type", "must be ab or interleaving"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(errors);
        }
        ExperimentDocument.Metrics metrics =
                doc.metrics() == null
                        ? new ExperimentDocument.Metrics(
                                DEFAULT_PRIMARY, List.of(), List.of(), null)
                        : new ExperimentDocument.Metrics(
                                doc.metrics().primary() == null
                                        ? DEFAULT_PRIMARY
                                        : doc.metrics().primary(),
                                doc.metrics().secondary() == null
                                        ? List.of()
                                        : doc.metrics().secondary(),
                                doc.metrics().guardrails() == null
                                        ? List.of()
                                        : doc.metrics().guardrails(),
                                doc.metrics().guardrailMargins());
        return new ExperimentDocument(
                doc.key(),
                doc.name() == null || doc.name().isBlank() ? doc.key() : doc.name(),
                doc.hypothesis(),
                doc.layer(),
                doc.layerRange(),
                doc.hashAttribute() == null ? "userId" : doc.hashAttribute(),
                doc.seed() == null ? doc.key() : doc.seed(),
                doc.hashVersion() == null ? 2 : doc.hashVersion(),
                doc.coverage() == null ? 1.0 : doc.coverage(),
                doc.condition(),
                arms,
                metrics,
                doc.analysis(),
                doc.rampPlan(),
                doc.type() == null ? ExperimentDocument.AB : doc.type());
    }

    private static void checkLayer(ExperimentDocument doc, List<FieldProblem> errors) {
        if (doc.layer() != null && !KEY.matcher(doc.layer()).matches()) {
            errors.add(new FieldProblem("layer", "must match [a-z0-9][a-z0-9_-]{0,63}"));
        }
        List<Double> range = doc.layerRange();
        if (doc.layer() != null && range == null) {
            errors.add(new FieldProblem("layerRange", "required with a layer"));
        } else if (doc.layer() == null && range != null) {
            errors.add(new FieldProblem("layer", "required with a layerRange"));
        } else if (range != null) {
            if (range.size() != 2 || range.get(0) == null || range.get(1) == null) {
                errors.add(new FieldProblem("layerRange", "must be [start, end]"));
            } else if (!(range.get(0) >= 0 && range.get(0) < range.get(1) && range.get(1) <= 1)) {
                errors.add(new FieldProblem("layerRange", "must satisfy 0 <= start < end <= 1"));
            }
        }
    }

    private List<ExperimentDocument.Arm> checkArms(
            List<ExperimentDocument.Arm> arms, List<FieldProblem> errors) {
        if (arms == null || arms.size() < 2 || arms.size() > 20) {
            errors.add(new FieldProblem("arms", "2 to 20 arms are required"));
            return arms;
        }
        long withWeight = arms.stream().filter(a -> a != null && a.weight() != null).count();
        if (withWeight != 0 && withWeight != arms.size()) {
            errors.add(
                    new FieldProblem("arms", "give every arm a weight, or none (equal weights)"));
        }
        Set<String> keys = new HashSet<>();
        double sum = 0;
        List<ExperimentDocument.Arm> filled = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            ExperimentDocument.Arm arm = arms.get(i);
            String at = "arms[" + i + "]";
            if (arm == null) {
                errors.add(new FieldProblem(at, "must be an object"));
                continue;
            }
            if (arm.key() == null || !KEY.matcher(arm.key()).matches()) {
                errors.add(
                        new FieldProblem(
                                at + ".key", "required, and must match [a-z0-9][a-z0-9_-]{0,63}"));
            } else if (!keys.add(arm.key())) {
                errors.add(new FieldProblem(at + ".key", "duplicate arm key " + arm.key()));
            }
            if (arm.model() == null || !MODEL.matcher(arm.model()).matches()) {
                errors.add(
                        new FieldProblem(
                                at + ".model",
                                "required, and must match [a-z0-9][a-z0-9_.-]{0,63}"));
            } else if (!models.isKnown(arm.model())) {
                errors.add(
                        new FieldProblem(
                                at + ".model",
                                "unknown model "
                                        + arm.model()
                                        + "; loaded: "
                                        + String.join(", ", new TreeSet<>(models.loadedKeys()))));
            }
            if (arm.weight() != null) {
                if (!(arm.weight() >= 0 && arm.weight() <= 1)) {
                    errors.add(new FieldProblem(at + ".weight", "must be in [0, 1]"));
                }
                sum += arm.weight();
            }
            double weight = arm.weight() != null ? arm.weight() : 1.0 / arms.size();
            filled.add(
                    new ExperimentDocument.Arm(
                            arm.key(),
                            arm.name() == null || arm.name().isBlank() ? arm.key() : arm.name(),
                            arm.model(),
                            weight));
        }
        if (withWeight == arms.size() && Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
            errors.add(new FieldProblem("arms", "weights must sum to 1 (they sum to " + sum + ")"));
        }
        return filled;
    }

    private static void checkMetrics(
            ExperimentDocument.Metrics metrics, List<FieldProblem> errors) {
        if (metrics == null) {
            return;
        }
        if (metrics.primary() != null && !METRIC.matcher(metrics.primary()).matches()) {
            errors.add(new FieldProblem("metrics.primary", "unknown metric " + metrics.primary()));
        }
        checkMetricList("metrics.secondary", metrics.secondary(), errors);
        checkMetricList("metrics.guardrails", metrics.guardrails(), errors);
        if (metrics.guardrailMargins() != null) {
            List<String> guardrails =
                    metrics.guardrails() == null ? List.of() : metrics.guardrails();
            metrics.guardrailMargins()
                    .forEach(
                            (metric, margin) -> {
                                String field = "metrics.guardrailMargins." + metric;
                                if (!guardrails.contains(metric)) {
                                    errors.add(
                                            new FieldProblem(
                                                    field,
                                                    "not a guardrail: add it to metrics.guardrails"));
                                } else if (margin == null || !(margin > 0 && margin < 1)) {
                                    errors.add(
                                            new FieldProblem(
                                                    field,
                                                    "must be a relative harm in (0, 1), e.g. 0.02"));
                                }
                            });
        }
    }

    private static void checkMetricList(String field, List<String> ids, List<FieldProblem> errors) {
        if (ids == null) {
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) == null || !METRIC.matcher(ids.get(i)).matches()) {
                errors.add(new FieldProblem(field + "[" + i + "]", "unknown metric " + ids.get(i)));
            }
        }
    }

    private void checkAnalysis(ExperimentDocument.Analysis analysis, List<FieldProblem> errors) {
        if (analysis == null) {
            return;
        }
        if (analysis.alpha() != null && !(analysis.alpha() > 0 && analysis.alpha() <= 0.5)) {
            errors.add(new FieldProblem("analysis.alpha", "must be in (0, 0.5]"));
        }
        if (analysis.differenceType() != null
                && AnalysisOptions.differenceType(analysis.differenceType()).isEmpty()) {
            errors.add(new FieldProblem("analysis.differenceType", "must be relative or absolute"));
        }
        if (analysis.correction() != null
                && AnalysisOptions.correction(analysis.correction()).isEmpty()) {
            errors.add(
                    new FieldProblem(
                            "analysis.correction", "must be holm, benjamini-hochberg or none"));
        }
        if (analysis.sequentialTuning() != null && analysis.sequentialTuning() < 1) {
            errors.add(new FieldProblem("analysis.sequentialTuning", "must be at least 1"));
        }
        if (analysis.capPercentile() != null
                && !(analysis.capPercentile() > 0.5 && analysis.capPercentile() < 1)) {
            errors.add(new FieldProblem("analysis.capPercentile", "must be in (0.5, 1)"));
        }
        if (analysis.cupedDays() != null
                && (analysis.cupedDays() < 0 || analysis.cupedDays() > 90)) {
            errors.add(new FieldProblem("analysis.cupedDays", "must be in [0, 90]"));
        }
        if (analysis.webhookUrl() != null && !analysis.webhookUrl().matches("https?://\\S+")) {
            errors.add(new FieldProblem("analysis.webhookUrl", "must be an http(s) URL"));
        } else if (analysis.webhookUrl() != null) {
            webhooks.refusalAtDefinition(analysis.webhookUrl())
                    .ifPresent(why -> errors.add(new FieldProblem("analysis.webhookUrl", why)));
        }
        if (analysis.plannedUnits() != null && analysis.plannedUnits() < 4) {
            errors.add(new FieldProblem("analysis.plannedUnits", "must be at least 4"));
        }
    }

    static final int MAX_RAMP_STEPS = 10;

    private static void checkRampPlan(ExperimentDocument.RampPlan plan, List<FieldProblem> errors) {
        if (plan == null) {
            return;
        }
        if (plan.steps() == null
                || plan.steps().isEmpty()
                || plan.steps().size() > MAX_RAMP_STEPS) {
            errors.add(new FieldProblem("rampPlan.steps", "1 to " + MAX_RAMP_STEPS + " steps"));
            return;
        }
        double previous = 0;
        for (int i = 0; i < plan.steps().size(); i++) {
            ExperimentDocument.RampStep step = plan.steps().get(i);
            String field = "rampPlan.steps[" + i + "]";
            if (step == null) {
                errors.add(new FieldProblem(field, "required"));
                continue;
            }
            if (step.coverage() == null || !(step.coverage() > 0 && step.coverage() <= 1)) {
                errors.add(new FieldProblem(field + ".coverage", "required, in (0, 1]"));
            } else if (step.coverage() <= previous) {
                errors.add(
                        new FieldProblem(
                                field + ".coverage",
                                "must be larger than the previous step's " + previous));
            } else {
                previous = step.coverage();
            }
            if (step.minDuration() != null && RampSteps.duration(step).isEmpty()) {
                errors.add(
                        new FieldProblem(
                                field + ".minDuration",
                                "a duration such as 30s, 10m, 2h, 1d or PT30S, at least 0"));
            }
            if (step.minUnits() != null && step.minUnits() < 0) {
                errors.add(new FieldProblem(field + ".minUnits", "must be at least 0"));
            }
        }
    }
}
