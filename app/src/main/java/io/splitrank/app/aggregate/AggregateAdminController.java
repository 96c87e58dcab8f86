package io.splitrank.app.aggregate;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/admin/aggregates")
@Tag(name = "Aggregates", description = "Attribution of events to experiment arms")
class AggregateAdminController {

    private final AttributionAggregator aggregator;

    AggregateAdminController(AttributionAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @PostMapping("/rebuild")
    @Operation(
            summary = "Recompute every experiment's per-unit aggregates from the event log (admin)",
            description =
                    "For recovery, or after an experiment's analysis.cupedDays changed. Runs in one"
                            + " transaction; live reports keep the old numbers until it commits. Events and exposures"
                            + " that arrive meanwhile are attributed by the next regular pass.")
    AttributionAggregator.PassResult rebuild() {
        return aggregator.rebuild();
    }

    @PostMapping("/process")
    @Operation(
            summary =
                    "Attribute everything pending now instead of at the next regular pass (admin)")
    AttributionAggregator.PassResult process() {
        return aggregator.processNow();
    }
}
