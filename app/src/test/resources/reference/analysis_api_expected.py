#!/usr/bin/python3
# Expected values for AnalysisApiTest, computed independently of the Java code.
# Run with Debian's python3 (scipy 1.10.1): /usr/bin/python3 analysis_api_expected.py
from scipy import stats

nA, sA, ssA = 3407, 1396.87, 52377.9767
nB, sB, ssB = 3461, 2422.7, 134698.29
mA, mB = sA / nA, sB / nB
vA = (ssA - sA**2 / nA) / (nA - 1)
vB = (ssB - sB**2 / nB) / (nB - 1)
# relative lift, delta-method variance (docs/statistics.md), Welch df, t quantile
d = (mB - mA) / abs(mA)
se = (vB / (nB * mA**2) + vA * mB**2 / (nA * mA**4)) ** 0.5
df = (vB / nB + vA / nA) ** 2 / (vB**2 / (nB**2 * (nB - 1)) + vA**2 / (nA**2 * (nA - 1)))
t = stats.t.ppf(0.975, df)
print("relative", repr(d), repr(se), repr(df), repr(d - t * se), repr(d + t * se),
      repr(2 * stats.t.sf(abs(d / se), df)))
# absolute difference: scipy's Welch test on the same summary statistics
r = stats.ttest_ind_from_stats(mB, vB**0.5, nB, mA, vA**0.5, nA, equal_var=False)
print("absolute", repr(mB - mA), repr((vB / nB + vA / nA) ** 0.5), repr(r.pvalue))
# sample ratio: chi-square goodness of fit against 50/50
print("srm", repr(stats.chisquare([nA, nB], [(nA + nB) / 2] * 2).pvalue))
