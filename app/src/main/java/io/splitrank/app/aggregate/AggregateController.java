package io.splitrank.app.aggregate;

import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.problem.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/aggregates")
@Tag(name = "Aggregates", description = "Attribution of events to experiment arms")
class AggregateController {

    private final MetricAggregates aggregates;
    private final ExperimentReadModel experiments;

    AggregateController(MetricAggregates aggregates, ExperimentReadModel experiments) {
        this.aggregates = aggregates;
        this.experiments = experiments;
    }

    @GetMapping("/{experimentKey}")
    @Operation(
            summary = "Per-arm sufficient statistics of every metric (the raw input of the report)",
            description =
                    "For analysts who run their own statistics, and for checking the report's inputs. Sums are"
                            + " raw (ecpm's numerator is revenue; its scale 1000). `capPercentile` winsorises each unit's"
                            + " value at that percentile of the phase's positive unit values; `cuped` adds the covariate"
                            + " sums of the analysis.cupedDays before each unit's first exposure.")
    ExperimentAggregates get(
            @PathVariable String experimentKey,
            @RequestParam(required = false) Integer phase,
            @RequestParam(required = false) String scenario,
            @RequestParam(required = false) Double capPercentile,
            @RequestParam(defaultValue = "false") boolean cuped) {
        return aggregates.forExperiment(
                query(experimentKey, phase, scenario, capPercentile, cuped));
    }

    @GetMapping("/{experimentKey}/daily")
    @Operation(
            summary =
                    "Cumulative per-arm statistics at the end of each UTC day (the report's time series)")
    List<DailyAggregates> daily(
            @PathVariable String experimentKey,
            @RequestParam(required = false) Integer phase,
            @RequestParam(required = false) String scenario,
            @RequestParam(required = false) Double capPercentile) {
        return aggregates.dailyCumulative(
                query(experimentKey, phase, scenario, capPercentile, false));
    }

    private AggregateQuery query(
            String key, Integer phase, String scenario, Double capPercentile, boolean cuped) {
        long id =
                experiments
                        .idOf(key)
                        .orElseThrow(
                                () ->
                                        ApiProblemException.notFound(
                                                "no experiment with key " + key));
        if (capPercentile != null && !(capPercentile > 0 && capPercentile <= 1)) {
            throw ApiProblemException.badRequest("capPercentile", "must be in (0, 1]");
        }
        int p =
                phase != null
                        ? phase
                        : experiments
                                .currentPhase(id)
                                .orElseThrow(
                                        () ->
                                                ApiProblemException.notFound(
                                                        "no experiment with key " + key));
        return new AggregateQuery(id, p, scenario, capPercentile, cuped);
    }
}
