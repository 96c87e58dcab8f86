package io.splitrank.app.ingest;

/** What happened; the code is what the event log stores. */
public enum EventType {
    IMPRESSION(0),
    CLICK(1),
    CONVERSION(2);

    private final int code;

    EventType(int code) {
        this.code = code;
    }

    /** The event log's smallint code. */
    public int code() {
        return code;
    }

    /** The type for its JSON name, or null. */
    static EventType fromJson(String name) {
        return switch (name) {
            case "impression" -> IMPRESSION;
            case "click" -> CLICK;
            case "conversion" -> CONVERSION;
            default -> null;
        };
    }
}
