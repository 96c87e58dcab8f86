package io.splitrank.app.experiment;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The experiment as a client writes it (POST, and the result of applying a PATCH). Absent fields
 * take their defaults; {@link ExperimentValidator} checks the whole document and names every field
 * at fault.
 */
@Schema(description = "An experiment definition")
record ExperimentDocument(
        @Schema(
                        description = "Unique key, [a-z0-9][a-z0-9_-]{0,63}; cannot change",
                        example = "ranker-ektm")
                String key,
        @Schema(description = "Display name (default: the key)") String name,
        @Schema(description = "What the experiment is expected to show") String hypothesis,
        @Schema(
                        description =
                                "Layer (GrowthBook namespace); experiments in one layer never share a unit")
                String layer,
        @Schema(description = "[start, end) of the layer this experiment takes, within [0, 1]")
                List<Double> layerRange,
        @Schema(description = "Attribute whose value is hashed (default userId)")
                String hashAttribute,
        @Schema(description = "Hash seed (default: the key)") String seed,
        @Schema(description = "GrowthBook hash version, 1 or 2 (default 2)") Integer hashVersion,
        @Schema(
                        description =
                                "Share of eligible units that enter, in [0, 1] (default 1); raising it never moves a unit")
                Double coverage,
        @Schema(description = "Targeting condition in GrowthBook's condition language")
                Map<String, Object> condition,
        @Schema(description = "2 to 20 arms; the first is the control") List<Arm> arms,
        @Schema(description = "The metrics that decide the experiment") Metrics metrics,
        @Schema(description = "Analysis options") Analysis analysis,
        @Schema(
                        description =
                                "Ramp plan: coverage steps the platform advances through by itself while no"
                                        + " guardrail shows harm, rolling back when one does")
                RampPlan rampPlan,
        @Schema(
                        description =
                                "ab (default: units are split between the arms) or interleaving (every unit in the"
                                        + " experiment sees one list merged from all arms' rankings, each item credited to"
                                        + " the arm that contributed it)")
                String type) {

    /** The experiment types. */
    static final String AB = "ab";

    static final String INTERLEAVING = "interleaving";

    /** One arm: a ranking model and the share of traffic it gets. */
    @Schema(
            name = "ExperimentArm",
            description = "An arm: a ranking model and its share of traffic")
    record Arm(
            @Schema(description = "Arm key, unique in the experiment", example = "ektm") String key,
            @Schema(description = "Display name (default: the key)") String name,
            @Schema(description = "Ranking model the arm serves", example = "ektm") String model,
            @Schema(description = "Share of traffic in [0, 1]; weights sum to 1 (default: equal)")
                    Double weight) {}

    /**
     * The decision metrics: ids such as ecpm, ctr, cvr:purchase, ctcvr:purchase, value_per_unit.
     */
    @Schema(name = "ExperimentMetrics", description = "The metrics that decide the experiment")
    record Metrics(
            @Schema(description = "Primary metric id (default ecpm)") String primary,
            @Schema(description = "Secondary metric ids") List<String> secondary,
            @Schema(description = "Guardrail metric ids: reported, not corrected")
                    List<String> guardrails,
            @Schema(
                            description =
                                    "Non-inferiority margin per guardrail: the relative harm tolerated, in (0, 1)"
                                            + " (default 0.02)",
                            example = "{\"ctr\": 0.05}")
                    Map<String, Double> guardrailMargins) {

        /** The margin of a guardrail: its own, or the default. */
        double margin(String metric) {
            Double m = guardrailMargins == null ? null : guardrailMargins.get(metric);
            return m == null ? DEFAULT_GUARDRAIL_MARGIN : m;
        }
    }

    /**
     * A guardrail's non-inferiority margin when the experiment sets none: a relative harm of 2%.
     */
    static final double DEFAULT_GUARDRAIL_MARGIN = 0.02;

    /** Analysis options; absent ones take the platform's defaults. */
    @Schema(name = "ExperimentAnalysisOptions", description = "Analysis options of an experiment")
    record Analysis(
            @Schema(description = "Significance level in (0, 0.5] (default 0.05)") Double alpha,
            @Schema(description = "relative or absolute (default relative)") String differenceType,
            @Schema(description = "holm, benjamini-hochberg or none (default holm)")
                    String correction,
            @Schema(
                            description =
                                    "Tuning N* of the always-valid confidence sequence (default 5000)")
                    Integer sequentialTuning,
            @Schema(
                            description =
                                    "Winsorise values at this percentile, e.g. 0.99 (default: no capping)")
                    Double capPercentile,
            @Schema(description = "Days of pre-exposure data for CUPED (default 0: off)")
                    Integer cupedDays,
            @Schema(description = "Cron for the scheduled report (default daily)")
                    String reportCron,
            @Schema(
                            description =
                                    "URL called with a summary when a scheduled report is written, and with"
                                            + " decision and ramp events")
                    String webhookUrl,
            @Schema(
                            description =
                                    "Planned sample: exposed units (all arms) at which the primary metric is read at"
                                            + " fixed horizon and the experiment is called inconclusive without a"
                                            + " significant result (default: none)")
                    Long plannedUnits) {}

    /**
     * A ramp plan: coverage steps, each held for a minimum duration and a minimum of exposed units
     * with no guardrail harmed and no sample ratio mismatch before the next one.
     */
    @Schema(name = "RampPlan", description = "Coverage steps the platform ramps through")
    record RampPlan(
            @Schema(description = "1 to 10 steps of strictly increasing coverage")
                    List<RampStep> steps,
            @Schema(
                            description =
                                    "Advance to the next step by itself when the current one has run its minimum"
                                            + " (default true)")
                    Boolean autoAdvance,
            @Schema(
                            description =
                                    "Roll back (coverage 0, experiment stopped) as soon as a guardrail shows harm or"
                                            + " the sample ratio fails (default true)")
                    Boolean autoRollback) {

        boolean advances() {
            return autoAdvance == null || autoAdvance;
        }

        boolean rollsBack() {
            return autoRollback == null || autoRollback;
        }
    }

    /** One step of a ramp plan. */
    @Schema(name = "RampStep", description = "One step of a ramp plan")
    record RampStep(
            @Schema(description = "Coverage in (0, 1]", example = "0.05") Double coverage,
            @Schema(
                            description =
                                    "Minimum time at this step: 30s, 10m, 2h, 1d or ISO-8601 (PT30S); default 0",
                            example = "1d")
                    String minDuration,
            @Schema(description = "Minimum of units exposed during this step (default 0)")
                    Long minUnits) {}
}
