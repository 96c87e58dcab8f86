/**
 * Attribution and aggregation: which events count for which experiment arm, as per-unit sums and
 * per-arm sufficient statistics.
 *
 * <p>{@link io.splitrank.app.aggregate.AttributionAggregator} folds committed events and first
 * exposures into per-unit tables ({@code agg_unit}, {@code agg_unit_day}: one row per experiment
 * phase, scenario, conversion type and unit) every half second, and keeps per-arm sums of every
 * metric term ({@code agg_arm_sum}) current in the same transaction; {@link
 * io.splitrank.app.aggregate.MetricAggregates} is the public query API that turns those into
 * per-arm sufficient statistics for every metric of the catalogue (with capping and CUPED
 * covariates on request, and a daily cumulative series). Reports read these, never the event log.
 *
 * <p>An event counts for an experiment phase when its unit was exposed to it and the event's
 * timestamp is at or after the first exposure and before the phase ended; events in the {@code
 * analysis.cupedDays} days before the first exposure are the CUPED covariate. The unit's value is
 * the sum of {@code value} over its events of every type (a click's revenue, a conversion's
 * amount): value_per_unit is its mean and eCPM's numerator its total.
 */
package io.splitrank.app.aggregate;
