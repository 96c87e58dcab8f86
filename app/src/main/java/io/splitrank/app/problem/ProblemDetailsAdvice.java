package io.splitrank.app.problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Renders every error as RFC 9457 problem details with an {@code errors} list naming the fields at
 * fault. Clients never see a stack trace; a failing database is a 503, not a 500.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(ApiProblemException.class)
    ResponseEntity<ProblemDetail> handleApiProblem(ApiProblemException e) {
        ResponseEntity<ProblemDetail> response = problem(e.status(), e.getMessage(), e.errors());
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            // a dependency is down: say when to come back rather than let the client hammer it
            return ResponseEntity.status(response.getStatusCode())
                    .headers(response.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .body(response.getBody());
        }
        return response;
    }

    @ExceptionHandler(DependencyUnavailableException.class)
    ResponseEntity<ProblemDetail> handleUnavailable(DependencyUnavailableException e) {
        return handleApiProblem(ApiProblemException.unavailable(e.getMessage()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                e.getName() + ": invalid value",
                List.of(new FieldProblem(e.getName(), "invalid value")));
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class,
        QueryTimeoutException.class
    })
    ResponseEntity<ProblemDetail> handleDatabaseDown(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        ResponseEntity<ProblemDetail> response =
                problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "the database is unavailable; nothing was written, retry later",
                        List.of());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(response.getBody());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal error", List.of());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        e.getBindingResult()
                .getFieldErrors()
                .forEach(
                        fe ->
                                errors.add(
                                        new FieldProblem(
                                                fe.getField(),
                                                fe.getDefaultMessage() == null
                                                        ? "invalid"
                                                        : fe.getDefaultMessage())));
        e.getBindingResult()
                .getGlobalErrors()
                .forEach(
                        ge ->
                                errors.add(
                                        new FieldProblem(
                                                ge.getObjectName(),
                                                ge.getDefaultMessage() == null
                                                        ? "invalid"
                                                        : ge.getDefaultMessage())));
        return asObject(
                problem(
                        HttpStatus.BAD_REQUEST,
                        ApiProblemException.badRequest(errors).getMessage(),
                        errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e,
            HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestTooLargeException tooLarge) {
                return asObject(
                        problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), List.of()));
            }
            if (t instanceof ApiProblemException apiProblem) {
                return asObject(handleApiProblem(apiProblem));
            }
        }
        JacksonException jackson = findCause(e, JacksonException.class);
        if (jackson != null && !jackson.getPath().isEmpty()) {
            String field = jsonPath(jackson.getPath());
            String reason =
                    jackson instanceof MismatchedInputException mismatch
                                    && mismatch.getTargetType() != null
                            ? "must be " + jsonType(mismatch.getTargetType())
                            : firstSentence(jackson.getOriginalMessage());
            return asObject(
                    problem(
                            HttpStatus.BAD_REQUEST,
                            field + ": " + reason,
                            List.of(new FieldProblem(field, reason))));
        }
        String reason =
                jackson == null
                        ? "the body is missing or is not readable JSON"
                        : "malformed JSON: " + firstSentence(jackson.getOriginalMessage());
        return asObject(
                problem(HttpStatus.BAD_REQUEST, reason, List.of(new FieldProblem("body", reason))));
    }

    static String jsonPath(List<JacksonException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String jsonType(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String firstSentence(String message) {
        if (message == null) {
            return "invalid value";
        }
        int cut = message.indexOf('\n');
        String line = cut >= 0 ? message.substring(0, cut) : message;
        // Jackson names Java classes; clients should see JSON terms, and no internals
        return line.replaceAll("`[a-zA-Z0-9_.$]+\\.([A-Za-z0-9_$]+)`", "$1").trim();
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    static ResponseEntity<ProblemDetail> problem(
            HttpStatus status, String detail, List<FieldProblem> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create("https://splitrank.io/problems/" + status.value()));
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return ResponseEntity.status(status)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> e) {
        return (ResponseEntity) e;
    }
}
