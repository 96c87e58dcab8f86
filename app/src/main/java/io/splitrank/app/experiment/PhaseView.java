package io.splitrank.app.experiment;

import java.time.Instant;
import java.util.List;

/**
 * One phase as the API answers it: the seed and arms its units were hashed with, when it ran, and
 * every coverage it ran at.
 */
record PhaseView(
        int phase,
        String hashSeed,
        List<ExperimentDocument.Arm> arms,
        double coverage,
        Instant startedAt,
        Instant endedAt,
        List<CoverageChange> coverageHistory) {

    /** A coverage the phase ran at from {@code at}, set by {@code actor} for {@code reason}. */
    record CoverageChange(Instant at, double coverage, String actor, String reason) {}
}
