package io.splitrank.app.experiment;

import io.splitrank.experiments.PhaseChange;

/** Whether an edit changes who lands in which arm, and so must start a new phase. */
final class PhaseRules {

    private PhaseRules() {}

    static boolean needsNewPhase(ExperimentDocument before, ExperimentDocument after) {
        // an A/B test and an interleaving experiment measure different things: never pooled
        if (!java.util.Objects.equals(before.type(), after.type())) {
            return true;
        }
        return PhaseChange.requiresNewPhase(
                ExperimentMapping.toExperiment(before, 1, before.condition()),
                ExperimentMapping.toExperiment(after, 1, after.condition()));
    }
}
