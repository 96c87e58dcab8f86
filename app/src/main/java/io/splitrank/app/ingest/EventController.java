package io.splitrank.app.ingest;

import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/events")
@Tag(
        name = "Events",
        description = "Impressions, clicks and conversions, attributed to the arms their units saw")
class EventController {

    private static final Logger log = LoggerFactory.getLogger(EventController.class);

    private final EventValidator validator;
    private final EventLog eventLog;

    EventController(EventValidator validator, EventLog eventLog) {
        this.validator = validator;
        this.eventLog = eventLog;
    }

    @Schema(description = "One event")
    record EventJson(
            @Schema(
                            description = "Client-chosen unique id: resending it is harmless",
                            example = "e-7f3a")
                    String eventId,
            @Schema(description = "impression, click or conversion", example = "click") String type,
            @Schema(
                            description =
                                    "The unit (the experiment's hash attribute value, e.g. the userId)",
                            example = "u1")
                    String unitId,
            @Schema(
                            description =
                                    "When it happened: ISO-8601 with offset, or epoch milliseconds; at most 5 minutes"
                                            + " ahead and 90 days old (splitrank.events.max-future, max-age)",
                            example = "2026-11-22T10:15:30Z")
                    String timestamp,
            @Schema(description = "Where it happened (home, search, …)", example = "home")
                    String scenario,
            @Schema(description = "The item shown, clicked or converted", example = "ad42")
                    String itemId,
            @Schema(description = "Required for a conversion: its type", example = "purchase")
                    String conversionType,
            @Schema(description = "Revenue or amount, finite and >= 0", example = "2.5")
                    Double value,
            @Schema(
                            description =
                                    "The id of the POST /api/v1/rank answer that placed the item; 1 to 64 characters",
                            example = "3f2b6c1e-8d4a-4e7b-9c0a-5d1e2f3a4b5c")
                    String rankingId,
            // a JSON node, not an Integer: Jackson would truncate 1.5 to 1 and convert "3", and
            // report only
            // the first unreadable one; EventValidator refuses them all, by index, like the other
            // fields
            @Schema(
                            description =
                                    "The 1-based slot the item was shown in: an integer from 1 to 1000",
                            implementation = Integer.class,
                            minimum = "1",
                            maximum = "1000",
                            example = "3")
                    JsonNode position) {}

    record EventsRequest(@Schema(description = "1 to 10,000 events") List<EventJson> events) {}

    record EventsResponse(
            @Schema(description = "Events written now") int accepted,
            @Schema(description = "Events already received before, or repeated in this batch")
                    int duplicates) {}

    @PostMapping
    @Operation(
            summary = "Send a batch of up to 10,000 events",
            description =
                    "Idempotent by eventId: events already received (or repeated within the batch) are counted"
                            + " as duplicates and not counted twice, so a batch can be resent safely after a timeout."
                            + " All or nothing: if any event is invalid the answer is 400 with an `errors` entry per field at"
                            + " fault (`events[3].conversionType`) and nothing is written; fix and resend the whole batch."
                            + " The answer comes after the accepted events are committed; 503 when the database is"
                            + " unavailable (nothing written, resend). Events reach the experiment reports within about a"
                            + " second, attributed to every experiment phase whose first exposure of the unit came at or"
                            + " before the event.")
    EventsResponse ingest(@RequestBody EventsRequest request) {
        List<EventJson> batch = request.events();
        FieldProblem size = validator.batchSize(batch);
        if (size != null) {
            throw ApiProblemException.badRequest(size.field(), size.message());
        }
        List<FieldProblem> problems = new ArrayList<>();
        List<Event> events = validator.validateAll(batch, problems);
        if (!problems.isEmpty()) {
            throw ApiProblemException.invalidBatch(
                    problems, batch.size() - events.size(), "events");
        }
        try {
            EventLog.AppendResult result = eventLog.append(events);
            return new EventsResponse(result.accepted(), result.duplicates());
        } catch (EventLogUnavailableException e) {
            log.warn(
                    "Event batch refused: {}",
                    e.getCause() == null ? e.toString() : e.getCause().toString());
            throw ApiProblemException.unavailable(
                    "the event log is unavailable; the batch was not acknowledged, resend it"
                            + " (events are stored once by eventId)");
        }
    }
}
