package io.splitrank.stats;

/**
 * Input the analysis cannot accept, naming the offending field (for example {@code
 * arms[1].sumSquares}) so that the API can answer 400 with a field-level message.
 */
public final class InvalidStatisticsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field path of the offending field, e.g. {@code arms[1].sumSquares}
     * @param message what is wrong with it
     */
    public InvalidStatisticsException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** Path of the offending field, e.g. {@code arms[1].sumSquares}. */
    public String field() {
        return field;
    }

    /** The message without the field prefix. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
