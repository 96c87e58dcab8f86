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
