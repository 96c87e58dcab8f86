package io.splitrank.app.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * @param options the analysis options
 * @param updatedAt when the experiment's definition last changed
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
        AnalysisOptions options,
        Instant updatedAt) {

    /** One arm of the phase. */
    public record Arm(String key, String model, double weight) {}

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
