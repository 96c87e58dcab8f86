package io.splitrank.app.aggregate;

/**
 * What to aggregate: an experiment phase, optionally one scenario, with optional capping and CUPED.
 *
 * @param experimentId the experiment's database id
 * @param phase the phase (results are per phase)
 * @param scenario a scenario, or null for all scenarios
 * @param capPercentile winsorise each unit's value at this percentile of the phase's positive unit
 *     values (pooled over arms), e.g. 0.99; null for no capping
 * @param cuped whether to add the CUPED covariate sums
 */
public record AggregateQuery(
        long experimentId, int phase, String scenario, Double capPercentile, boolean cuped) {

    public AggregateQuery {
        if (capPercentile != null && !(capPercentile > 0 && capPercentile <= 1)) {
            throw new IllegalArgumentException(
                    "capPercentile must be in (0, 1], got " + capPercentile);
        }
    }

    /** All scenarios, no capping, no CUPED. */
    public static AggregateQuery of(long experimentId, int phase) {
        return new AggregateQuery(experimentId, phase, null, null, false);
    }

    public AggregateQuery withScenario(String newScenario) {
        return new AggregateQuery(experimentId, phase, newScenario, capPercentile, cuped);
    }

    public AggregateQuery withCapPercentile(Double newCapPercentile) {
        return new AggregateQuery(experimentId, phase, scenario, newCapPercentile, cuped);
    }

    public AggregateQuery withCuped(boolean newCuped) {
        return new AggregateQuery(experimentId, phase, scenario, capPercentile, newCuped);
    }
}
