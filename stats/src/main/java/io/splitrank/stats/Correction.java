package io.splitrank.stats;

/** Adjustment of p-values for testing many arms or metrics at once. */
public enum Correction {
    /** No adjustment: the adjusted p-value is the raw one. */
    NONE,
    /** Holm's step-down procedure, controlling the family-wise error rate. */
    HOLM,
    /** Benjamini–Hochberg step-up procedure, controlling the false discovery rate. */
    BENJAMINI_HOCHBERG
}
