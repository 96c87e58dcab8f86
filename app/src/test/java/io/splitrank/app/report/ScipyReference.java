package io.splitrank.app.report;

/**
 * Expected values written by src/test/resources/reference/report_expected.py (scipy 1.10.1, run
 * with Debian's /usr/bin/python3) for the simulated experiment of {@link ExperimentReportApiTest}:
 * the conversion_rate counts of the control and the ektm arm, and Welch's p-value for their
 * difference.
 */
final class ScipyReference {

    static final long CONTROL_N = 227;
    static final double CONTROL_CONVERTED = 150;
    static final long TREATMENT_N = 173;
    static final double TREATMENT_CONVERTED = 108;

    /**
     * scipy.stats.ttest_ind_from_stats(m1, sqrt(m1(1 − m1)), n1, m0, sqrt(m0(1 − m0)), n0,
     * equal_var=False).
     */
    static final double P_VALUE = 0.451127968895925;

    private ScipyReference() {}
}
