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
        @Schema(description = "Analysis options") Analysis analysis) {

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
                    List<String> guardrails) {}

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
            @Schema(description = "URL called with a summary when a scheduled report is written")
                    String webhookUrl) {}
}
