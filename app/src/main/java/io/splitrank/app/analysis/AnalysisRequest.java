package io.splitrank.app.analysis;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Sufficient statistics per arm, computed by the caller (e.g. in their warehouse), and the options
 * of the analysis. Field names are part of the public contract (docs/statistics.md): scripts depend
 * on them.
 */
@Schema(description = "Sufficient statistics per arm; the first arm is the control")
record AnalysisRequest(
        @Schema(
                        description =
                                "The metric's type and whether to apply regression adjustment (CUPED)")
                Metric metric,
        @Schema(
                        description =
                                "relative (lift as a fraction of the control mean) or absolute (difference of means);"
                                        + " default relative")
                String differenceType,
        @Schema(description = "Two-sided significance level in (0, 0.5]; default 0.05")
                Double alpha,
        @Schema(
                        description =
                                "Tuning N* of the always-valid confidence sequence: the total number of units at which"
                                        + " it is tightest; default 5000")
                Double sequentialTuning,
        @Schema(
                        description =
                                "Multiple-comparison correction across the treatment arms: holm, benjamini-hochberg"
                                        + " or none; default holm")
                String correction,
        @Schema(
                        description =
                                "Optional normal prior on the lift for the Bayesian result (flat when absent)")
                Prior prior,
        @Schema(description = "At least two arms; the first is the control") List<Arm> arms) {

    @Schema(name = "AnalysisMetric", description = "The metric's type and options")
    record Metric(
            @Schema(
                            description =
                                    "proportion (n, sum = units with at least one conversion), mean (n, sum,"
                                            + " sumSquares of a per-unit value) or ratio (per-unit numerator M and denominator D)",
                            example = "mean")
                    String type,
            @Schema(
                            description =
                                    "Regression adjustment on a pre-exposure covariate X; each arm then carries xSum,"
                                            + " xSumSquares and xySumProducts (ratio: xmSumProducts and xdSumProducts)")
                    Boolean cuped) {}

    @Schema(name = "AnalysisPrior", description = "Normal prior on the lift")
    record Prior(
            @Schema(description = "Prior mean of the lift (in the lift's own unit)") Double mean,
            @Schema(description = "Prior variance of the lift") Double variance) {}

    @Schema(name = "AnalysisArm", description = "One arm's sufficient statistics over its units")
    record Arm(
            @Schema(description = "Arm key", example = "control") String key,
            @Schema(
                            description =
                                    "Configured traffic share, for the sample-ratio check; default equal")
                    Double weight,
            @Schema(description = "Number of units (e.g. users) in the arm") Long n,
            @Schema(
                            description =
                                    "proportion, mean: sum over units of the unit's value (a count of units for a"
                                            + " proportion)")
                    Double sum,
            @Schema(description = "mean: sum over units of the squared value") Double sumSquares,
            @Schema(description = "ratio: sum over units of the numerator M (e.g. clicks, revenue)")
                    Double mSum,
            @Schema(description = "ratio: sum over units of M squared") Double mSumSquares,
            @Schema(description = "ratio: sum over units of the denominator D (e.g. impressions)")
                    Double dSum,
            @Schema(description = "ratio: sum over units of D squared") Double dSumSquares,
            @Schema(description = "ratio: sum over units of M times D") Double mdSumProducts,
            @Schema(description = "CUPED: sum over units of the pre-exposure covariate X")
                    Double xSum,
            @Schema(description = "CUPED: sum over units of X squared") Double xSumSquares,
            @Schema(description = "CUPED (mean): sum over units of X times the metric value")
                    Double xySumProducts,
            @Schema(description = "CUPED (ratio): sum over units of X times M")
                    Double xmSumProducts,
            @Schema(description = "CUPED (ratio): sum over units of X times D")
                    Double xdSumProducts) {}
}
