package io.splitrank.app.problem;

import java.io.IOException;

/** A request body over {@code splitrank.api.max-body-bytes}; answered 413. */
class RequestTooLargeException extends IOException {
    RequestTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
