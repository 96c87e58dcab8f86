package io.splitrank.app.assignment;

import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import io.splitrank.experiments.Assignment;
import io.splitrank.experiments.AssignmentEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Assigns a unit to the arms of running experiments with the pure assignment engine, from the
 * in-memory snapshot, and records the first exposure of each unit that enters an experiment.
 */
@Service
public class AssignmentService {

    private final RunningExperiments running;
    private final ExperimentReadModel lookup;
    private final ExposureRecorder exposures;
    private final AssignmentEngine engine = new AssignmentEngine();
    private final Clock clock;

    AssignmentService(
            RunningExperiments running,
            ExperimentReadModel lookup,
            ExposureRecorder exposures,
            Clock clock) {
        this.running = running;
        this.lookup = lookup;
        this.exposures = exposures;
        this.clock = clock;
    }

    /**
     * Assigns one unit.
     *
     * @param attributes the unit's attributes (the hash attribute, and whatever targeting reads)
     * @param experimentKeys the experiments to assign in, or null for every running one
     * @return one assignment per experiment, in the order asked (or of creation)
     */
    public List<AssignmentView> assign(
            Map<String, Object> attributes, List<String> experimentKeys) {
        RunningExperiments.Snapshot snapshot = running.current();
        Instant now = clock.instant();
        List<AssignmentView> result = new ArrayList<>();
        if (experimentKeys == null) {
            for (RunningExperiments.LiveExperiment live : snapshot.byKey().values()) {
                result.add(assignAndRecord(live, attributes, now));
            }
            return result;
        }
        for (String key : experimentKeys) {
            RunningExperiments.LiveExperiment live = snapshot.byKey().get(key);
            if (live != null) {
                result.add(assignAndRecord(live, attributes, now));
            } else {
                result.add(AssignmentView.notRunning(key, lookup.status(key).orElse("unknown")));
            }
        }
        return result;
    }

    /** Checks that every asked key names an experiment; 404 naming the first that does not. */
    void checkKnown(List<String> experimentKeys, String field) {
        if (experimentKeys == null) {
            return;
        }
        RunningExperiments.Snapshot snapshot = running.current();
        for (int i = 0; i < experimentKeys.size(); i++) {
            String key = experimentKeys.get(i);
            if (key == null || (!snapshot.byKey().containsKey(key) && !lookup.exists(key))) {
                throw ApiProblemException.notFound(
                        "no experiment with key " + key,
                        new FieldProblem(field + "[" + i + "]", "unknown experiment"));
            }
        }
    }

    private AssignmentView assignAndRecord(
            RunningExperiments.LiveExperiment live, Map<String, Object> attributes, Instant now) {
        Assignment a = engine.assign(live.hasher(), attributes, Map.of());
        if (a.inExperiment()) {
            Object unit = attributes.get(live.experiment().hashAttribute());
            exposures.record(
                    new ExposureRecorder.Exposure(
                            live.id(),
                            a.phase(),
                            AssignmentEngine.unitId(unit),
                            a.armIndex(),
                            now));
        }
        return AssignmentView.of(a);
    }
}
