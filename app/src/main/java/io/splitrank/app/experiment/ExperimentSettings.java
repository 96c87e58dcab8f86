package io.splitrank.app.experiment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One phase of an experiment as the rest of the app reads it (the report, its scheduler): the arms
 * the phase hashed with (for the sample ratio check and arm keys), the decision metrics, and the
 * analysis options with the platform's defaults applied ({@link AnalysisOptions}).
 *
 * @param id database id
 * @param key experiment key
 * @param status draft, running, stopped or archived
 * @param currentPhase the experiment's current phase
 * @param phase the phase this report is about
 * @param arms the arms that phase hashed with, control first
 * @param primary the primary metric id (default ecpm)
 * @param secondary secondary metric ids
 * @param guardrails guardrail metric ids (reported, left out of the correction family)
 * @param guardrailMargins each guardrail's non-inferiority margin (a relative harm)
 * @param options the analysis options
 * @param updatedAt when the experiment's definition last changed
 * @param ramp the ramp plan and where the experiment is on it, or null without a plan
 * @param webhookSecret signs the experiment's webhook calls
 * @param type ab or interleaving
 */
public record ExperimentSettings(
        long id,
        String key,
        String status,
        int currentPhase,
        int phase,
        List<Arm> arms,
        String primary,
        List<String> secondary,
        List<String> guardrails,
        Map<String, Double> guardrailMargins,
        AnalysisOptions options,
        Instant updatedAt,
        Ramp ramp,
        String webhookSecret,
        String type) {

    /** Whether every unit sees one list merged from all arms' rankings. */
    public boolean interleaving() {
        return ExperimentDocument.INTERLEAVING.equals(type);
    }

    /** One arm of the phase. */
    public record Arm(String key, String model, double weight) {}

    /**
     * A ramp plan with its progress.
     *
     * @param steps the plan's steps, in order
     * @param autoAdvance whether the platform advances by itself
     * @param autoRollback whether the platform rolls back by itself on harm or a sample ratio
     *     mismatch
     * @param step the current step's index (null before the experiment started)
     * @param stepStartedAt when the current step began
     * @param stepUnits exposed units of the phase when the current step began, null until the
     *     watcher's first check of a step advanced by hand
     * @param state ramping, manual, complete or rolled-back (null before the start)
     */
    public record Ramp(
            List<Step> steps,
            boolean autoAdvance,
            boolean autoRollback,
            Integer step,
            Instant stepStartedAt,
            Long stepUnits,
            String state) {

        /** Whether the plan is still being followed (not complete, not rolled back). */
        public boolean active() {
            return step != null && ("ramping".equals(state) || "manual".equals(state));
        }

        /** Whether the current step is the last. */
        public boolean atLastStep() {
            return step != null && step == steps.size() - 1;
        }
    }

    /** One step of a ramp plan: coverage, minimum duration, minimum of units exposed in it. */
    public record Step(double coverage, Duration minDuration, long minUnits) {}

    /** A guardrail's non-inferiority margin: a relative harm (default 0.02). */
    public double margin(String guardrail) {
        Double m = guardrailMargins.get(guardrail);
        return m == null ? ExperimentDocument.DEFAULT_GUARDRAIL_MARGIN : m;
    }

    /** Primary, secondary and guardrail metrics, in that order, each once. */
    public List<String> decisionMetrics() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(primary);
        ids.addAll(secondary);
        ids.addAll(guardrails);
        return new ArrayList<>(ids);
    }

    /** Whether a metric is only a guardrail (reported, left out of the correction family). */
    public boolean isGuardrail(String metric) {
        return guardrails.contains(metric) && !metric.equals(primary);
    }
}
