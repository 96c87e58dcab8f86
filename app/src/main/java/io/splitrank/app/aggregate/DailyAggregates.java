package io.splitrank.app.aggregate;

import java.time.LocalDate;
import java.util.List;

/**
 * Cumulative statistics at the end of one UTC day: the units exposed by then and their events up to
 * the end of that day. A series of these is the report's time series.
 *
 * @param day the UTC day
 * @param arms units exposed by the end of the day, per arm
 * @param metrics as in {@link ExperimentAggregates#metrics()}, without CUPED sums
 */
public record DailyAggregates(LocalDate day, List<ArmExposures> arms, List<MetricByArm> metrics) {}
