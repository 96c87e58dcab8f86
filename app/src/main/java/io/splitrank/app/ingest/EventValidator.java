package io.splitrank.app.ingest;

import io.splitrank.app.problem.FieldProblem;
import io.splitrank.app.problem.RequestBodyCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Checks each event of a batch and names every field at fault by its index, so that a client can
 * fix the whole batch in one go. Timestamps must lie within {@code splitrank.events.max-age} in the
 * past and {@code splitrank.events.max-future} in the future: older events could not change a live
 * decision and would land in dropped partitions, future ones are clock errors. As a {@link
 * RequestBodyCheck}, it names these problems beside those of a batch Jackson could read only in
 * part (an unknown property, a value of the wrong type).
 */
@Component
class EventValidator implements RequestBodyCheck<EventController.EventsRequest> {

    static final int MAX_ID = 200;
    static final int MAX_NAME = 64;
    static final int MAX_RANKING_ID = 64;
    static final int MAX_POSITION = 1000;

    private final Clock clock;
    private final Duration maxAge;
    private final Duration maxFuture;
    private final int maxBatch;

    EventValidator(Clock clock, EventProperties properties) {
        this.clock = clock;
        this.maxAge = properties.maxAge();
        this.maxFuture = properties.maxFuture();
        this.maxBatch = properties.maxBatch();
    }

    /** What is wrong with the batch's size (none, or more than max-batch events), or null. */
    FieldProblem batchSize(List<EventController.EventJson> batch) {
        if (batch == null || batch.isEmpty()) {
            return new FieldProblem("events", "required: 1 to " + maxBatch + " events");
        }
        if (batch.size() > maxBatch) {
            return new FieldProblem(
                    "events", "at most " + maxBatch + " events per batch, got " + batch.size());
        }
        return null;
    }

    @Override
    public Class<EventController.EventsRequest> bodyType() {
        return EventController.EventsRequest.class;
    }

    /** The batch's problems, as {@code POST /api/v1/events} would name them. */
    @Override
    public void check(EventController.EventsRequest request, List<FieldProblem> problems) {
        FieldProblem size = batchSize(request.events());
        if (size != null) {
            problems.add(size);
            return;
        }
        validateAll(request.events(), problems);
    }

    /**
     * The batch's valid events, after adding the problems of the others to {@code problems}; the
     * timestamps are checked against one reading of the clock.
     */
    List<Event> validateAll(List<EventController.EventJson> batch, List<FieldProblem> problems) {
        Instant now = clock.instant();
        List<Event> events = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Event event = validate(i, batch.get(i), problems, now);
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    /**
     * The validated event, or null after adding its problems to {@code problems}. Field names are
     * built only for problems: a valid batch of ten thousand events builds none.
     */
    private Event validate(
            int index, EventController.EventJson json, List<FieldProblem> problems, Instant now) {
        if (json == null) {
            problems.add(new FieldProblem(field(index, ""), "required: an event object"));
            return null;
        }
        int before = problems.size();
        text(index, ".eventId", json.eventId(), MAX_ID, true, problems);
        text(index, ".unitId", json.unitId(), MAX_ID, true, problems);
        text(index, ".scenario", json.scenario(), MAX_NAME, false, problems);
        text(index, ".itemId", json.itemId(), MAX_ID, false, problems);
        EventType type = null;
        if (json.type() == null) {
            problems.add(
                    new FieldProblem(
                            field(index, ".type"), "required: impression, click or conversion"));
        } else {
            type = EventType.fromJson(json.type());
            if (type == null) {
                problems.add(
                        new FieldProblem(
                                field(index, ".type"),
                                "unknown type '"
                                        + abbreviate(json.type())
                                        + "': impression, click or conversion"));
            }
        }
        if (type == EventType.CONVERSION && json.conversionType() == null) {
            problems.add(
                    new FieldProblem(field(index, ".conversionType"), "required for a conversion"));
        } else {
            text(index, ".conversionType", json.conversionType(), MAX_NAME, false, problems);
        }
        Instant timestamp = timestamp(index, json.timestamp(), problems, now);
        Double value = json.value();
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            problems.add(new FieldProblem(field(index, ".value"), "must be a finite number >= 0"));
        }
        text(index, ".rankingId", json.rankingId(), MAX_RANKING_ID, false, problems);
        Integer position = position(index, json.position(), problems);
        if (problems.size() > before) {
            return null;
        }
        return new Event(
                json.eventId(),
                type,
                json.unitId(),
                timestamp,
                json.scenario(),
                json.itemId(),
                json.conversionType(),
                value,
                json.rankingId(),
                position);
    }

    /**
     * The position (null when absent or JSON null), or null after adding a problem: an integer from
     * 1 to {@link #MAX_POSITION}. A number with a zero fraction (3.0) is that integer; 1.5, "3" and
     * true are refused.
     */
    private static Integer position(int index, JsonNode node, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber() && node.canConvertToExactIntegral()) {
            double d = node.doubleValue();
            if (d >= 1 && d <= MAX_POSITION) {
                return (int) d;
            }
        }
        problems.add(
                new FieldProblem(
                        field(index, ".position"), "must be an integer from 1 to " + MAX_POSITION));
        return null;
    }

    private static String field(int index, String name) {
        return "events[" + index + "]" + name;
    }

    private Instant timestamp(int index, String text, List<FieldProblem> problems, Instant now) {
        if (text == null) {
            problems.add(
                    new FieldProblem(
                            field(index, ".timestamp"),
                            "required: an ISO-8601 instant such as 2026-11-22T10:15:30Z"));
            return null;
        }
        Instant t;
        try {
            t = Timestamps.parse(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            problems.add(
                    new FieldProblem(
                            field(index, ".timestamp"),
                            "not an ISO-8601 instant with offset such as 2026-11-22T10:15:30Z"));
            return null;
        }
        if (t.isAfter(now.plus(maxFuture))) {
            problems.add(
                    new FieldProblem(
                            field(index, ".timestamp"),
                            "more than " + maxFuture + " in the future"));
            return null;
        }
        if (t.isBefore(now.minus(maxAge))) {
            problems.add(
                    new FieldProblem(
                            field(index, ".timestamp"), "older than " + maxAge.toDays() + " days"));
            return null;
        }
        return t;
    }

    private static void text(
            int index,
            String name,
            String value,
            int max,
            boolean required,
            List<FieldProblem> problems) {
        if (value == null) {
            if (required) {
                problems.add(new FieldProblem(field(index, name), "required"));
            }
        } else if (value.isBlank()) {
            problems.add(new FieldProblem(field(index, name), "must not be blank"));
        } else if (value.length() > max) {
            problems.add(new FieldProblem(field(index, name), "at most " + max + " characters"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
