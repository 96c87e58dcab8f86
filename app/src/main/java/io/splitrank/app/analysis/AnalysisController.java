package io.splitrank.app.analysis;

import io.splitrank.app.experiment.AnalysisOptions;
import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.stats.AnalysisResult;
import io.splitrank.stats.ArmInput;
import io.splitrank.stats.Correction;
import io.splitrank.stats.Covariate;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.InvalidStatisticsException;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricStatistic;
import io.splitrank.stats.MetricType;
import io.splitrank.stats.NormalPrior;
import io.splitrank.stats.PowerAnalysis;
import io.splitrank.stats.ProportionStatistic;
import io.splitrank.stats.RatioCovariate;
import io.splitrank.stats.RatioStatistic;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The statistics engine for sufficient statistics computed elsewhere (warehouse-native use). */
@RestController
@Tag(name = "Analysis", description = "Inference on sufficient statistics you computed yourself")
class AnalysisController {

    static final int MAX_ARMS = 50;

    @PostMapping("/api/v1/analysis")
    @Operation(
            summary =
                    "Compare every arm with the first (control): lift, Welch CI and p-value, always-valid"
                            + " CI and p-value, chance to win and risk, corrected p-values, sample-ratio check")
    AnalysisResult analyze(@RequestBody AnalysisRequest request) {
        MetricType type = metricType(request.metric());
        boolean cuped = request.metric().cuped() != null && request.metric().cuped();
        try {
            List<ArmInput> arms = arms(request.arms(), type, cuped);
            ExperimentAnalysis analysis =
                    ExperimentAnalysis.withDefaults()
                            .withDifferenceType(differenceType(request.differenceType()))
                            .withCorrection(correction(request.correction()))
                            .withRegressionAdjustment(cuped);
            if (request.alpha() != null) {
                analysis = analysis.withAlpha(request.alpha());
            }
            if (request.sequentialTuning() != null) {
                analysis = analysis.withSequentialTuning(request.sequentialTuning());
            }
            if (request.prior() != null) {
                analysis =
                        analysis.withPrior(
                                new NormalPrior(
                                        required(request.prior().mean(), "prior.mean"),
                                        required(request.prior().variance(), "prior.variance")));
            }
            return analysis.analyze(type, arms);
        } catch (InvalidStatisticsException e) {
            throw ApiProblemException.badRequest(e.field(), e.reason());
        }
    }

    @PostMapping("/api/v1/analysis/power")
    @Operation(
            summary =
                    "Sample size for a relative minimum detectable effect, or the effect detectable",
            description =
                    "Normal approximation of the two-sided test of each treatment against the control with"
                            + " equal arms: give relativeEffect for the units needed per arm, or unitsPerArm for the"
                            + " relative effect detectable; the answer carries both. variance may be left out for a"
                            + " proportion (0 < mean < 1): it is then mean·(1 − mean).")
    PowerResult power(@RequestBody PowerRequest request) {
        double mean = required(request.mean(), "mean");
        double variance =
                request.variance() != null
                        ? request.variance()
                        : mean > 0 && mean < 1 ? mean * (1 - mean) : Double.NaN;
        if (Double.isNaN(variance)) {
            throw ApiProblemException.badRequest(
                    "variance", "required unless mean is a proportion in (0, 1)");
        }
        int arms = request.arms() == null ? 2 : request.arms();
        if (arms < 2 || arms > MAX_ARMS) {
            throw ApiProblemException.badRequest("arms", "must be 2 to " + MAX_ARMS);
        }
        if ((request.relativeEffect() == null) == (request.unitsPerArm() == null)) {
            throw ApiProblemException.badRequest(
                    "relativeEffect", "give exactly one of relativeEffect and unitsPerArm");
        }
        try {
            PowerAnalysis power = PowerAnalysis.withDefaults();
            if (request.alpha() != null) {
                power = power.withAlpha(request.alpha());
            }
            if (request.power() != null) {
                power = power.withPower(request.power());
            }
            long unitsPerArm;
            double effect;
            if (request.relativeEffect() != null) {
                effect = request.relativeEffect();
                unitsPerArm = power.sampleSizePerArm(mean, variance, effect);
            } else {
                unitsPerArm = request.unitsPerArm();
                effect = power.minimumDetectableEffect(mean, variance, unitsPerArm);
            }
            return new PowerResult(
                    unitsPerArm,
                    unitsPerArm * arms,
                    effect,
                    request.alpha() == null ? 0.05 : request.alpha(),
                    request.power() == null ? 0.8 : request.power());
        } catch (InvalidStatisticsException e) {
            String field =
                    switch (e.field()) {
                        case "effect" -> "relativeEffect";
                        case "n" -> "unitsPerArm";
                        default -> e.field();
                    };
            throw ApiProblemException.badRequest(field, e.reason());
        }
    }

    /**
     * A power question.
     *
     * @param mean the control's mean (a proportion's rate)
     * @param variance the per-unit variance (default for a proportion: mean·(1 − mean))
     * @param alpha two-sided significance level (default 0.05)
     * @param power target power (default 0.8)
     * @param arms arms including the control (default 2)
     * @param relativeEffect the relative lift to detect
     * @param unitsPerArm units per arm available
     */
    record PowerRequest(
            Double mean,
            Double variance,
            Double alpha,
            Double power,
            Integer arms,
            Double relativeEffect,
            Long unitsPerArm) {}

    /** The answer: units per arm, all arms, and the relative effect detectable with them. */
    record PowerResult(
            long unitsPerArm, long totalUnits, double relativeEffect, double alpha, double power) {}

    private static MetricType metricType(AnalysisRequest.Metric metric) {
        if (metric == null || metric.type() == null) {
            throw ApiProblemException.badRequest(
                    "metric.type", "required: proportion, mean or ratio");
        }
        return switch (metric.type()) {
            case "proportion" -> MetricType.PROPORTION;
            case "mean" -> MetricType.MEAN;
            case "ratio" -> MetricType.RATIO;
            default ->
                    throw ApiProblemException.badRequest(
                            "metric.type", "must be proportion, mean or ratio");
        };
    }

    private static DifferenceType differenceType(String s) {
        if (s == null) {
            return AnalysisOptions.defaults().differenceType();
        }
        return AnalysisOptions.differenceType(s)
                .orElseThrow(
                        () ->
                                ApiProblemException.badRequest(
                                        "differenceType", "must be relative or absolute"));
    }

    private static Correction correction(String s) {
        if (s == null) {
            return AnalysisOptions.defaults().correction();
        }
        return AnalysisOptions.correction(s)
                .orElseThrow(
                        () ->
                                ApiProblemException.badRequest(
                                        "correction", "must be holm, benjamini-hochberg or none"));
    }

    private static List<ArmInput> arms(
            List<AnalysisRequest.Arm> arms, MetricType type, boolean cuped) {
        if (arms == null || arms.size() < 2) {
            throw ApiProblemException.badRequest(
                    "arms", "at least two arms are required; the first is the control");
        }
        if (arms.size() > MAX_ARMS) {
            throw ApiProblemException.badRequest("arms", "at most " + MAX_ARMS + " arms");
        }
        boolean anyWeight = arms.stream().anyMatch(a -> a != null && a.weight() != null);
        List<ArmInput> inputs = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            AnalysisRequest.Arm arm = arms.get(i);
            String at = "arms[" + i + "]";
            if (arm == null) {
                throw ApiProblemException.badRequest(at, "must be an object");
            }
            String key = arm.key() == null ? (i == 0 ? "control" : "arm" + i) : arm.key();
            double weight = anyWeight ? required(arm.weight(), at + ".weight") : 1.0 / arms.size();
            inputs.add(new ArmInput(key, weight, statistic(arm, at, type, cuped)));
        }
        return inputs;
    }

    private static MetricStatistic statistic(
            AnalysisRequest.Arm a, String at, MetricType type, boolean cuped) {
        long n = required(a.n(), at + ".n");
        return switch (type) {
            case PROPORTION -> new ProportionStatistic(n, required(a.sum(), at + ".sum"));
            case MEAN ->
                    new MeanStatistic(
                            n,
                            required(a.sum(), at + ".sum"),
                            required(a.sumSquares(), at + ".sumSquares"),
                            cuped
                                    ? new Covariate(
                                            required(a.xSum(), at + ".xSum"),
                                            required(a.xSumSquares(), at + ".xSumSquares"),
                                            required(a.xySumProducts(), at + ".xySumProducts"))
                                    : null);
            case RATIO ->
                    new RatioStatistic(
                            n,
                            required(a.mSum(), at + ".mSum"),
                            required(a.mSumSquares(), at + ".mSumSquares"),
                            required(a.dSum(), at + ".dSum"),
                            required(a.dSumSquares(), at + ".dSumSquares"),
                            required(a.mdSumProducts(), at + ".mdSumProducts"),
                            cuped
                                    ? new RatioCovariate(
                                            required(a.xSum(), at + ".xSum"),
                                            required(a.xSumSquares(), at + ".xSumSquares"),
                                            required(a.xmSumProducts(), at + ".xmSumProducts"),
                                            required(a.xdSumProducts(), at + ".xdSumProducts"))
                                    : null);
        };
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiProblemException.badRequest(field, "required");
        }
        return value;
    }
}
