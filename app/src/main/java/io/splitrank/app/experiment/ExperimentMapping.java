package io.splitrank.app.experiment;

import io.splitrank.experiments.Arm;
import io.splitrank.experiments.Experiment;
import io.splitrank.experiments.LayerRange;
import java.util.Map;

/** Turns stored and written experiments into the assignment engine's {@link Experiment}. */
final class ExperimentMapping {

    private ExperimentMapping() {}

    static Experiment toExperiment(ExperimentEntity e) {
        return Experiment.builder(e.key)
                .seed(e.seed)
                .hashAttribute(e.hashAttribute)
                .hashVersion(e.hashVersion)
                .coverage(e.coverage)
                .arms(e.arms.stream().map(a -> new Arm(a.key, a.name, a.model, a.weight)).toList())
                .layer(e.layer, e.layer == null ? null : new LayerRange(e.layerStart, e.layerEnd))
                .phase(e.phase)
                .build();
    }

    static Experiment toExperiment(ExperimentDocument d, int phase, Map<String, Object> condition) {
        return Experiment.builder(d.key())
                .seed(d.seed())
                .hashAttribute(d.hashAttribute())
                .hashVersion(d.hashVersion())
                .coverage(d.coverage())
                .arms(
                        d.arms().stream()
                                .map(a -> new Arm(a.key(), a.name(), a.model(), a.weight()))
                                .toList())
                .layer(
                        d.layer(),
                        d.layer() == null
                                ? null
                                : new LayerRange(d.layerRange().get(0), d.layerRange().get(1)))
                .condition(condition)
                .phase(phase)
                .build();
    }
}
