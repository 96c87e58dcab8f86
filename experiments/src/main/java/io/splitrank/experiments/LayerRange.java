package io.splitrank.experiments;

/**
 * The half-open slice [start, end) of a layer (GrowthBook: namespace) an experiment occupies. A
 * unit is in the slice when {@code hash("__" + layer, unitId, 1)} falls in it, see {@link
 * GrowthBookHash#inNamespace}.
 *
 * @param start inclusive lower bound in [0, 1]
 * @param end exclusive upper bound in [start, 1]
 */
public record LayerRange(double start, double end) {

    /** Validates {@code 0 <= start < end <= 1}. */
    public LayerRange {
        if (!(start >= 0 && end <= 1 && start < end)) {
            throw new IllegalArgumentException(
                    "layer range must satisfy 0 <= start < end <= 1, was ["
                            + start
                            + ", "
                            + end
                            + ")");
        }
    }

    /** True when {@code n} lies in [start, end). */
    public boolean contains(double n) {
        return n >= start && n < end;
    }

    /**
     * True when the two half-open ranges share at least one point. Touching ranges ([0, .5) and
     * [.5, 1)) do not overlap.
     */
    public boolean overlaps(LayerRange other) {
        return start < other.end && other.start < end;
    }
}
