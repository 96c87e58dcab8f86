/**
 * Experiment reports: the live report ({@code GET /api/v1/experiments/{key}/report}), its
 * server-sent event stream ({@code .../report/stream}) and scheduled snapshots ({@code
 * .../reports}) rendered as JSON, CSV and self-contained HTML, with an optional webhook.
 *
 * <p>{@link io.splitrank.app.report.ReportService} reads the per-arm sufficient statistics of the
 * aggregate package (never the event log) and hands them to the stats module with the experiment's
 * analysis options: alpha, differenceType, sequentialTuning, capPercentile (winsorised values) and
 * cupedDays (regression adjustment on the pre-exposure sums; proportions are not adjusted). eCPM is
 * analysed on {@code RatioStatistic.scaledNumerator(1000)}, so its lift and intervals are in eCPM.
 * Adjusted p-values form one family across every treatment × non-guardrail metric ({@code
 * analysis.correction}); guardrails are reported uncorrected. Arms without units, metrics without
 * events and zero variances give a comparison with an {@code error}, never NaN or a 500.
 *
 * <p><b>The decision rule</b> ({@link io.splitrank.app.report.ReportDecision}, docs/statistics.md):
 * rollback on harm (a sample ratio mismatch, or a guardrail whose always-valid interval lies below
 * 0); ship the arm whose primary metric improves significantly; inconclusive at the planned sample;
 * else continue. {@link io.splitrank.app.report.DecisionWatcher} checks it at every aggregation
 * pass, sends changes to the webhook and follows the experiments' ramp plans.
 *
 * <p>The stream computes each watched report once per tick (at most once a second) for all its
 * subscribers and sends it only when its content changed. The scheduler keeps each running
 * experiment's next run in {@code report_schedule}, so restarts and several nodes write every
 * scheduled report exactly once.
 */
package io.splitrank.app.report;
