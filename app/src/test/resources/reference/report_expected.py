#!/usr/bin/python3
# Expected value for ExperimentReportApiTest (ScipyReference.java), computed independently of the Java code.
# Run with Debian's python3 (scipy 1.10.1): /usr/bin/python3 report_expected.py
# Inputs: the simulated experiment's conversion_rate (units with at least one conversion after exposure)
# for the control and the ektm arm, as the test's plain-Java computation counts them from the raw events.
from scipy import stats

n0, c0 = 227, 150  # control
n1, c1 = 173, 108  # ektm
m0, m1 = c0 / n0, c1 / n1
# a proportion's per-unit variance is m(1 - m) (docs/statistics.md); Welch's test on those summary statistics
r = stats.ttest_ind_from_stats(m1, (m1 * (1 - m1)) ** 0.5, n1, m0, (m0 * (1 - m0)) ** 0.5, n0, equal_var=False)
print("conversion_rate ektm vs control, absolute: difference", repr(m1 - m0), "p", repr(r.pvalue))
