package io.splitrank.app.ingest;

import io.splitrank.app.problem.FieldProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks each event of a batch and names every field at fault by its index, so that a client can fix
 * the whole batch in one go. Timestamps must lie within {@code splitrank.events.max-age} in the past
 * and {@code splitrank.events.max-future} in the future: older events could not change a live
 * decision and would land in dropped partitions, future ones are clock errors.
 */
@Component
class EventValidator {

    static final int MAX_ID = 200;
    static final int MAX_NAME = 64;

    private final Clock clock;
    private final Duration maxAge;
    private final Duration maxFuture;

    EventValidator(Clock clock, @Value("${splitrank.events.max-age:90d}") Duration maxAge,
            @Value("${splitrank.events.max-future:5m}") Duration maxFuture) {
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxFuture = maxFuture;
    }

    /** The validated event, or null after adding its problems to {@code problems}. */
    Event validate(int index, EventController.EventJson json, List<FieldProblem> problems) {
        String at = "events[" + index + "]";
        if (json == null) {
            problems.add(new FieldProblem(at, "required: an event object"));
            return null;
        }
        int before = problems.size();
        text(at + ".eventId", json.eventId(), MAX_ID, true, problems);
        text(at + ".unitId", json.unitId(), MAX_ID, true, problems);
        text(at + ".scenario", json.scenario(), MAX_NAME, false, problems);
        text(at + ".itemId", json.itemId(), MAX_ID, false, problems);
        EventType type = null;
        if (json.type() == null) {
            problems.add(new FieldProblem(at + ".type", "required: impression, click or conversion"));
        } else {
            type = EventType.fromJson(json.type());
            if (type == null) {
                problems.add(new FieldProblem(at + ".type", "unknown type '" + abbreviate(json.type())
                        + "': impression, click or conversion"));
            }
        }
        if (type == EventType.CONVERSION && json.conversionType() == null) {
            problems.add(new FieldProblem(at + ".conversionType", "required for a conversion"));
        } else {
            text(at + ".conversionType", json.conversionType(), MAX_NAME, false, problems);
        }
        Instant timestamp = timestamp(at + ".timestamp", json.timestamp(), problems);
        Double value = json.value();
        if (value != null && (!Double.isFinite(value) || value < 0)) {
            problems.add(new FieldProblem(at + ".value", "must be a finite number >= 0"));
        }
        if (problems.size() > before) {
            return null;
        }
        return new Event(json.eventId(), type, json.unitId(), timestamp, json.scenario(), json.itemId(),
                json.conversionType(), value);
    }

    private Instant timestamp(String field, String text, List<FieldProblem> problems) {
        if (text == null) {
            problems.add(new FieldProblem(field, "required: an ISO-8601 instant such as 2026-11-22T10:15:30Z"));
            return null;
        }
        Instant t;
        try {
            t = text.chars().allMatch(Character::isDigit) && !text.isEmpty()
                    ? Instant.ofEpochMilli(Long.parseLong(text))
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            problems.add(new FieldProblem(field, "not an ISO-8601 instant with offset such as 2026-11-22T10:15:30Z"));
            return null;
        }
        Instant now = clock.instant();
        if (t.isAfter(now.plus(maxFuture))) {
            problems.add(new FieldProblem(field, "more than " + maxFuture + " in the future"));
            return null;
        }
        if (t.isBefore(now.minus(maxAge))) {
            problems.add(new FieldProblem(field, "older than " + maxAge.toDays() + " days"));
            return null;
        }
        return t;
    }

    private static void text(String field, String value, int max, boolean required, List<FieldProblem> problems) {
        if (value == null) {
            if (required) {
                problems.add(new FieldProblem(field, "required"));
            }
        } else if (value.isBlank()) {
            problems.add(new FieldProblem(field, "must not be blank"));
        } else if (value.length() > max) {
            problems.add(new FieldProblem(field, "at most " + max + " characters"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
