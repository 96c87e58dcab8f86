package io.splitrank.stats;

/**
 * Units with at least one conversion: mean m = sum/n, per-unit variance m(1 − m).
 *
 * @param n number of units
 * @param sum number of converting units (0 ≤ sum ≤ n)
 */
public record ProportionStatistic(long n, double sum) implements MetricStatistic {

    @Override
    public MetricType type() {
        return MetricType.PROPORTION;
    }
}
