package io.splitrank.app.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The experiment as the API answers it: the document with defaults filled in, plus its state, and
 * warnings a client should see (an arm whose model is not loaded), or null.
 */
record ExperimentView(
        String key,
        String name,
        String hypothesis,
        String type,
        ExperimentStatus status,
        int phase,
        String layer,
        List<Double> layerRange,
        String hashAttribute,
        String seed,
        int hashVersion,
        double coverage,
        Map<String, Object> condition,
        List<ExperimentDocument.Arm> arms,
        ExperimentDocument.Metrics metrics,
        ExperimentDocument.Analysis analysis,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant stoppedAt,
        String stopReason,
        String owner,
        ExperimentDocument.RampPlan rampPlan,
        RampView ramp,
        List<String> warnings) {

    /**
     * Where a started experiment is on its ramp plan.
     *
     * @param step index of the current step
     * @param stepStartedAt when it began
     * @param state ramping, manual (waits for a person to advance), complete or rolled-back
     * @param reason the last check's finding, or why the plan ended
     */
    record RampView(int step, Instant stepStartedAt, String state, String reason) {}

    /**
     * This view with a warning for each arm whose model is not loaded (it keeps assigning; rank
     * cannot serve it).
     */
    ExperimentView withModelWarnings(ModelCatalog models) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < arms.size(); i++) {
            String model = arms.get(i).model();
            if (!models.isKnown(model)) {
                found.add(
                        "arms["
                                + i
                                + "].model: model "
                                + model
                                + " is not loaded; the arm keeps assigning, but"
                                + " rank answers 503 for its units");
            }
        }
        return found.isEmpty()
                ? this
                : new ExperimentView(
                        key,
                        name,
                        hypothesis,
                        type,
                        status,
                        phase,
                        layer,
                        layerRange,
                        hashAttribute,
                        seed,
                        hashVersion,
                        coverage,
                        condition,
                        arms,
                        metrics,
                        analysis,
                        createdAt,
                        updatedAt,
                        startedAt,
                        stoppedAt,
                        stopReason,
                        owner,
                        rampPlan,
                        ramp,
                        List.copyOf(found));
    }
}
