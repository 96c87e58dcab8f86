package io.splitrank.app.assignment;

import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/exposures")
@Tag(name = "Assignment")
class ExposureController {

    private final ClientExposures exposures;

    ExposureController(ClientExposures exposures) {
        this.exposures = exposures;
    }

    @Schema(
            name = "ClientExposure",
            description = "One first exposure seen by a client (an SDK's tracking callback)")
    record ExposureJson(
            @Schema(description = "The experiment key", example = "ranker-ektm") String experiment,
            // a JSON node: GrowthBook gives the phase as a string ("2"), Splitrank as a number
            @Schema(
                            description =
                                    "The phase the unit was hashed in: the rule's phase (\"2\") or the number",
                            implementation = Integer.class,
                            example = "1")
                    JsonNode phase,
            @Schema(
                            description = "The arm key the client served (the feature's value)",
                            example = "ektm")
                    String arm,
            @Schema(
                            description =
                                    "The unit: the value of the experiment's hash attribute (GrowthBook's hashValue)",
                            example = "u1")
                    String unitId,
            @Schema(
                            description =
                                    "When the unit was exposed: ISO-8601 with offset, or epoch milliseconds; at most"
                                            + " 5 minutes ahead and 90 days old",
                            implementation = String.class,
                            example = "2026-11-22T10:15:30Z")
                    JsonNode timestamp) {}

    record ExposuresRequest(
            @Schema(description = "1 to 10,000 exposures") List<ExposureJson> exposures) {}

    @Schema(name = "RejectedExposure", description = "An exposure that was not recorded")
    record Rejected(
            @Schema(description = "The exposure's position in the batch, from 0") int index,
            @Schema(description = "Why it was not recorded") String reason) {}

    record ExposuresResponse(
            @Schema(description = "First exposures recorded now") int accepted,
            @Schema(
                            description =
                                    "Exposures of units already exposed to that phase (by the server, an earlier"
                                            + " batch, or earlier in this one): nothing changed")
                    int duplicates,
            @Schema(
                            description =
                                    "Exposures refused: an arm the experiment's hashing does not give the unit, a"
                                            + " phase that is not current, an experiment that is not running")
                    List<Rejected> rejected) {}

    @PostMapping
    @Operation(
            summary =
                    "Record up to 10,000 first exposures seen by clients (SDK tracking callbacks)",
            description =
                    "Recorded exactly as the server's own first exposures from /assign: once per experiment,"
                            + " phase and unit (the first wins), so a batch can be resent safely and a unit already"
                            + " exposed through /assign counts once. Each exposure is checked against the"
                            + " experiment's hashing: one whose arm is not the unit's in that phase, whose phase is"
                            + " not the current one, or whose experiment is not running is rejected with its index"
                            + " and reason, and the others are recorded. The targeting condition is not checked (an"
                            + " exposure carries no attributes). A malformed batch is a 400 with an `errors` entry"
                            + " per field at fault (`exposures[3].unitId`) and nothing is recorded. The answer comes"
                            + " after the accepted exposures are committed; 503 when the database is unavailable"
                            + " (nothing recorded, resend).")
    ExposuresResponse record(@RequestBody ExposuresRequest request) {
        List<ExposureJson> batch = request.exposures();
        FieldProblem size = exposures.batchSize(batch);
        if (size != null) {
            throw ApiProblemException.badRequest(size.field(), size.message());
        }
        List<FieldProblem> problems = new ArrayList<>();
        List<ClientExposures.Parsed> parsed = new ArrayList<>(batch.size());
        Instant now = exposures.now();
        for (int i = 0; i < batch.size(); i++) {
            ClientExposures.Parsed p = exposures.validate(i, batch.get(i), problems, now);
            if (p != null) {
                parsed.add(p);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiProblemException.invalidBatch(
                    problems, batch.size() - parsed.size(), "exposures");
        }
        ClientExposures.Outcome outcome = exposures.record(parsed);
        return new ExposuresResponse(
                outcome.accepted(),
                outcome.duplicates(),
                outcome.rejected().stream().map(r -> new Rejected(r.index(), r.reason())).toList());
    }
}
