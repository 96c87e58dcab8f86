package io.splitrank.app.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the report needs to know about an experiment: its phase's arms (for the sample ratio check and
 * arm keys), its decision metrics and its analysis options, with the platform's defaults filled in.
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
record ExperimentSettings(long id, String key, String status, int currentPhase, int phase, List<Arm> arms,
        String primary, List<String> secondary, List<String> guardrails, Options options, Instant updatedAt) {

    /** One arm of the phase. */
    record Arm(String key, String model, double weight) {
    }

    /** The experiment's {@code analysis} options with defaults; cron and webhook may be null. */
    record Options(double alpha, String differenceType, String correction, int sequentialTuning,
            Double capPercentile, int cupedDays, String reportCron, String webhookUrl) {
    }

    /** Primary, secondary and guardrail metrics, in that order, each once. */
    List<String> decisionMetrics() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(primary);
        ids.addAll(secondary);
        ids.addAll(guardrails);
        return new ArrayList<>(ids);
    }

    boolean isGuardrail(String metric) {
        return guardrails.contains(metric) && !metric.equals(primary);
    }
}
