package io.splitrank.app.assignment;

import io.splitrank.app.problem.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/assign")
@Tag(name = "Assignment", description = "Which arm a unit is in; records first exposures")
class AssignmentController {

    static final int MAX_BATCH = 1000;

    private final AssignmentService service;

    AssignmentController(AssignmentService service) {
        this.service = service;
    }

    record AssignRequest(
            @Schema(
                            description =
                                    "The unit's attributes: the hash attribute (e.g. userId) and whatever targeting reads",
                            example = "{\"userId\": \"u1\", \"country\": \"DE\"}")
                    Map<String, Object> attributes,
            @Schema(description = "Experiments to assign in (default: every running one)")
                    List<String> experiments) {}

    record AssignResponse(List<AssignmentView> assignments) {}

    record Unit(@Schema(description = "The unit's attributes") Map<String, Object> attributes) {}

    record BatchRequest(
            @Schema(description = "Up to 1,000 units") List<Unit> units,
            @Schema(description = "Experiments to assign in (default: every running one)")
                    List<String> experiments) {}

    record BatchResponse(List<AssignResponse> results) {}

    @PostMapping
    @Operation(summary = "Assign one unit to the arms of running experiments")
    AssignResponse assign(@RequestBody AssignRequest request) {
        if (request.attributes() == null) {
            throw ApiProblemException.badRequest(
                    "attributes", "required: an object with the unit's attributes");
        }
        service.checkKnown(request.experiments(), "experiments");
        return new AssignResponse(service.assign(request.attributes(), request.experiments()));
    }

    @PostMapping("/batch")
    @Operation(summary = "Assign up to 1,000 units at once")
    BatchResponse assignBatch(@RequestBody BatchRequest request) {
        if (request.units() == null || request.units().isEmpty()) {
            throw ApiProblemException.badRequest("units", "required: 1 to " + MAX_BATCH + " units");
        }
        if (request.units().size() > MAX_BATCH) {
            throw ApiProblemException.badRequest(
                    "units",
                    "at most " + MAX_BATCH + " units per call, got " + request.units().size());
        }
        for (int i = 0; i < request.units().size(); i++) {
            Unit unit = request.units().get(i);
            if (unit == null || unit.attributes() == null) {
                throw ApiProblemException.badRequest("units[" + i + "].attributes", "required");
            }
        }
        service.checkKnown(request.experiments(), "experiments");
        List<AssignResponse> results = new ArrayList<>(request.units().size());
        for (Unit unit : request.units()) {
            results.add(
                    new AssignResponse(service.assign(unit.attributes(), request.experiments())));
        }
        return new BatchResponse(results);
    }
}
