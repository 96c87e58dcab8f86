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
 * @param rankingId the id of the {@code POST /api/v1/rank} answer that placed the item (1 to 64
 *     characters), or null
 * @param position the 1-based slot the item was shown in (1 to 1000), or null
 */
public record Event(
        String eventId,
        EventType type,
        String unitId,
        Instant timestamp,
        String scenario,
        String itemId,
        String conversionType,
        Double value,
        String rankingId,
        Integer position) {}
