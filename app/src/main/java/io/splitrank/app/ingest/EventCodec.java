package io.splitrank.app.ingest;

import tools.jackson.databind.json.JsonMapper;

/** An event as the value of a Kafka record: JSON, with its own mapper (the API's may change). */
final class EventCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private EventCodec() {}

    static byte[] encode(Event event) {
        return JSON.writeValueAsBytes(event);
    }

    static Event decode(byte[] value) {
        return JSON.readValue(value, Event.class);
    }
}
