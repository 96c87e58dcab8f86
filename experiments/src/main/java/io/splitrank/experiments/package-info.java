/**
 * Experiment assignment for Splitrank: GrowthBook-compatible hashing ({@link
 * io.splitrank.experiments.FnvHash}, {@link io.splitrank.experiments.GrowthBookHash}), bucket
 * ranges ({@link io.splitrank.experiments.BucketRanges}), targeting conditions ({@link
 * io.splitrank.experiments.ConditionEvaluator}), the experiment model ({@link
 * io.splitrank.experiments.Experiment}, {@link io.splitrank.experiments.Arm}, {@link
 * io.splitrank.experiments.LayerRange}, {@link io.splitrank.experiments.PhaseChange}), the pure
 * {@link io.splitrank.experiments.AssignmentEngine}, and team-draft interleaving of rankings
 * ({@link io.splitrank.experiments.TeamDraft}). No Spring, no I/O: records in, records out.
 */
package io.splitrank.experiments;
