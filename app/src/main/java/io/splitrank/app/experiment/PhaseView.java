package io.splitrank.app.experiment;

import java.time.Instant;
import java.util.List;

/** One phase as the API answers it: the seed and arms its units were hashed with. */
record PhaseView(
        int phase,
        String hashSeed,
        List<ExperimentDocument.Arm> arms,
        double coverage,
        Instant startedAt,
        Instant endedAt) {}
