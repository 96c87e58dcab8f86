package io.splitrank.experiments;

/**
 * The half-open hash interval [start, end) that maps to one arm (GrowthBook: {@code
 * VariationRange}).
 *
 * @param start inclusive lower bound
 * @param end exclusive upper bound; equal to {@code start} for an arm that receives no traffic
 */
public record BucketRange(double start, double end) {

    /** True when {@code n} lies in [start, end), GrowthBook's {@code inRange}. */
    public boolean contains(double n) {
        return n >= start && n < end;
    }
}
