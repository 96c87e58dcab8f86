package io.splitrank.app.ingest;

import java.time.Instant;

/**
 * A validated event, as the event log stores it.
 *
 * @param eventId the client's id, unique per event: the idempotency key
 * @param type impression, click or conversion
 * @param unitId the randomisation unit (the experiment's hash attribute value)
 * @param timestamp when it happened
 * @param scenario where it happened (home, search, …), or null
 * @param itemId the item shown, clicked or converted, or null
 * @param conversionType the conversion's type (purchase, signup, …); null for others
 * @param value revenue or amount, or null
 */
public record Event(String eventId, EventType type, String unitId, Instant timestamp, String scenario, String itemId,
        String conversionType, Double value) {
}
