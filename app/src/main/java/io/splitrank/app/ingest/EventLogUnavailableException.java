package io.splitrank.app.ingest;

/** The event log could not take a batch; nothing of it was written. */
public class EventLogUnavailableException extends RuntimeException {
    public EventLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
