/**
 * Inference for A/B experiments on per-arm sufficient statistics; docs/statistics.md gives the
 * statistics formula by formula.
 *
 * <p>Side-effect free: records in, records out, no I/O. The entry point is {@link
 * io.splitrank.stats.ExperimentAnalysis}; the building blocks ({@link
 * io.splitrank.stats.SampleRatioMismatch}, {@link io.splitrank.stats.MultipleComparisons}, {@link
 * io.splitrank.stats.PowerAnalysis}) are public for the live report.
 */
package io.splitrank.stats;
