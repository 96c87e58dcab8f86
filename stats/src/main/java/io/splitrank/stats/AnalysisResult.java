package io.splitrank.stats;

import java.util.List;

/**
 * The answer of an analysis, shaped exactly like the JSON answer of {@code POST /api/v1/analysis}
 * so that it can be serialised as it is.
 *
 * @param arms one result per arm, control first
 * @param srm the sample ratio mismatch check of the arms' units against their weights
 */
public record AnalysisResult(List<ArmResult> arms, SrmResult srm) {

    /** Copies the list. */
    public AnalysisResult {
        arms = List.copyOf(arms);
    }
}
