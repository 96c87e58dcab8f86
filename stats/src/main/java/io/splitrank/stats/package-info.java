/**
 * Inference for A/B experiments on per-arm sufficient statistics, and for interleaving experiments
 * on per-pair preference counts; docs/statistics.md gives the statistics formula by formula.
 *
 * <p>Side-effect free: records in, records out, no I/O. The entry points are {@link
 * io.splitrank.stats.ExperimentAnalysis} and {@link io.splitrank.stats.InterleavingAnalysis}; the
 * building blocks ({@link io.splitrank.stats.SampleRatioMismatch}, {@link
 * io.splitrank.stats.MultipleComparisons}, {@link io.splitrank.stats.PowerAnalysis}) are public for
 * the live report.
 */
package io.splitrank.stats;
