package io.splitrank.app.problem;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

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
        // what was recorded before Jackson had to stop
        List<FieldProblem> recorded = JsonBodyProblems.close();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestTooLargeException tooLarge) {
                return asObject(
                        problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), List.of()));
            }
            if (t instanceof ApiProblemException apiProblem) {
                return asObject(handleApiProblem(apiProblem));
            }
        }
        FieldProblem stop = unreadable(findCause(e, JacksonException.class));
        List<FieldProblem> errors = new ArrayList<>(recorded);
        if (errors.stream().noneMatch(r -> r.equals(stop))) {
            errors.add(stop);
        }
        return asObject(
                problem(
                        HttpStatus.BAD_REQUEST,
                        ApiProblemException.badRequest(errors).getMessage(),
                        errors));
    }

    /**
     * Why Jackson could not read the body, in JSON terms: the field by its JSON path and what it
     * must be, or what is wrong with the JSON; never a Java name.
     */
    static FieldProblem unreadable(JacksonException jackson) {
        if (jackson == null) {
            return new FieldProblem("body", "the body is missing or is not readable JSON");
        }
        if (jackson instanceof InputCoercionException && !jackson.getPath().isEmpty()) {
            // a number too large for its field
            return new FieldProblem(jsonPath(jackson.getPath()), "is out of range");
        }
        if (jackson instanceof StreamReadException) {
            return new FieldProblem("body", "malformed JSON: " + syntaxError(jackson));
        }
        if (jackson.getPath().isEmpty()) {
            return new FieldProblem(
                    "body",
                    jackson instanceof MismatchedInputException mismatch
                                    && mismatch.getTargetType() != null
                            ? JsonBodyProblems.mustBe(mismatch.getTargetType())
                            : "the body is missing or is not readable JSON");
        }
        String field = jsonPath(jackson.getPath());
        if (jackson instanceof UnrecognizedPropertyException) {
            return new FieldProblem(field, "unknown property");
        }
        if (jackson instanceof MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            return new FieldProblem(field, JsonBodyProblems.mustBe(mismatch.getTargetType()));
        }
        return new FieldProblem(field, "invalid value");
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

    /**
     * The first line of a syntax error without its location, which names a Java setting ({@code
     * [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)...]}); the rare
     * message that would still name a Java type is replaced as a whole.
     */
    static String syntaxError(JacksonException jackson) {
        String message = jackson.getOriginalMessage();
        if (message == null) {
            return "not readable";
        }
        int cut = message.indexOf('\n');
        String line = cut >= 0 ? message.substring(0, cut) : message;
        for (String location : List.of(" (start marker at ", " at [Source", " [Source")) {
            int at = line.indexOf(location);
            if (at >= 0) {
                line = line.substring(0, at);
            }
        }
        line = line.trim();
        return line.isEmpty() || JAVA_NAME.matcher(line).find() ? "not readable" : line;
    }

    /** A backtick-quoted name, a dotted package name, or "class ...". */
    private static final Pattern JAVA_NAME =
            Pattern.compile("`|\\bclass\\b|\\b[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*\\.[A-Za-z]");

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
