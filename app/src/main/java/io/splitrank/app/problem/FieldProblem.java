package io.splitrank.app.problem;

/**
 * One field at fault, by its JSON path in the request ({@code arms[1].weight}).
 *
 * @param field the JSON path of the field
 * @param message what is wrong with it
 */
public record FieldProblem(String field, String message) {}
