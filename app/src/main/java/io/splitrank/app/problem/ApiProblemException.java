package io.splitrank.app.problem;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * An error a client can act on, answered as RFC 9457 problem details with the fields at fault.
 * Thrown by any feature package; {@link ProblemDetailsAdvice} renders it.
 */
public class ApiProblemException extends RuntimeException {

    private final HttpStatus status;
    private final List<FieldProblem> errors;

    public ApiProblemException(HttpStatus status, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    /** 400 for one field. */
    public static ApiProblemException badRequest(String field, String message) {
        return new ApiProblemException(
                HttpStatus.BAD_REQUEST,
                field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    /** 400 for several fields at once, so a client can fix them all in one go. */
    public static ApiProblemException badRequest(List<FieldProblem> errors) {
        String detail =
                errors.size() == 1
                        ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size()
                                + " invalid fields, first "
                                + errors.get(0).field()
                                + ": "
                                + errors.get(0).message();
        return new ApiProblemException(HttpStatus.BAD_REQUEST, detail, errors);
    }

    /**
     * The most field problems one answer lists (enough to fix a body; a body wrong everywhere need
     * not echo every problem); an answer about a batch counts them all in its detail.
     */
    static final int MAX_LISTED = 1000;

    /** The first {@link #MAX_LISTED} problems. */
    static List<FieldProblem> listed(List<FieldProblem> problems) {
        return problems.size() > MAX_LISTED ? problems.subList(0, MAX_LISTED) : problems;
    }

    /**
     * A 400 about a batch of which nothing was stored: the detail counts the problems and the items
     * at fault and names the first; the list holds at most {@link #MAX_LISTED}.
     *
     * @param invalidItems how many of the batch's items have a problem
     * @param items what the items are, plural ("events")
     */
    public static ApiProblemException invalidBatch(
            List<FieldProblem> problems, int invalidItems, String items) {
        String detail =
                problems.size()
                        + " invalid field(s) in "
                        + invalidItems
                        + " "
                        + items
                        + "; nothing was written. First: "
                        + problems.get(0).field()
                        + ": "
                        + problems.get(0).message();
        return new ApiProblemException(HttpStatus.BAD_REQUEST, detail, listed(problems));
    }

    public static ApiProblemException notFound(String detail) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, detail, List.of());
    }

    /** 404 naming the request field that pointed at nothing. */
    public static ApiProblemException notFound(String detail, FieldProblem field) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, detail, List.of(field));
    }

    public static ApiProblemException conflict(String field, String message) {
        return new ApiProblemException(
                HttpStatus.CONFLICT,
                field + ": " + message,
                List.of(new FieldProblem(field, message)));
    }

    /** 403: the caller is known but may not do this. */
    public static ApiProblemException forbidden(String detail) {
        return new ApiProblemException(HttpStatus.FORBIDDEN, detail, List.of());
    }

    public static ApiProblemException unavailable(String detail) {
        return new ApiProblemException(HttpStatus.SERVICE_UNAVAILABLE, detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> errors() {
        return errors;
    }
}
