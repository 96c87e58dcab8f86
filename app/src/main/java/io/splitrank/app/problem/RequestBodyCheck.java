package io.splitrank.app.problem;

import java.util.List;

/**
 * The value checks of one kind of request body, run on a body that Jackson could read only in part
 * (an unknown property, a value of the wrong type), so that the answer names the value problems of
 * the other fields together with the parse problems rather than one round trip later. A bean of
 * this type is found by the body's class; an endpoint without one answers the parse problems alone.
 * The body passed may hold nulls (or zeros) where values were unreadable; problems named on those
 * fields, or on the fields that contain them, are left out of the answer.
 *
 * @param <T> the request body's type
 */
public interface RequestBodyCheck<T> {

    /** The request body's type. */
    Class<T> bodyType();

    /** Adds the problems of the body's values, by JSON path, to {@code problems}; never throws. */
    void check(T body, List<FieldProblem> problems);
}
