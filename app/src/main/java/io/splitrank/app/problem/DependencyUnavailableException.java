package io.splitrank.app.problem;

/**
 * A dependency the request needs (the database, a buffer in front of it, a model) cannot take it
 * now; nothing was written. A plain exception, so that services need no web types to say so: {@link
 * ProblemDetailsAdvice} answers it as 503 with {@code Retry-After}.
 */
public class DependencyUnavailableException extends RuntimeException {

    public DependencyUnavailableException(String message) {
        super(message);
    }
}
