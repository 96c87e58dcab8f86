package io.splitrank.app.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The experiment as the API answers it: the document with defaults filled in, plus its state. */
record ExperimentView(
        String key,
        String name,
        String hypothesis,
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
        Instant stoppedAt) {
}
