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

# CUPED with a relative lift (mean metric and ratio metric), from unit-level data with numpy 1.24 and
# statsmodels 0.13.5: θ is the OLS slope of Y (a ratio: its linearisation) on X over both arms, the
# standard error the variance of the units' delta-method influence functions with the derivative
# taken at X̄_B ≈ X̄_A (docs/statistics.md, CUPED). Printed: the arms' sums, then estimate and SE.
import math
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(11)
n_a, n_b = 1800, 1700
x_a, x_b = rng.gamma(2.0, 3.0, n_a), rng.gamma(2.0, 3.0, n_b) + 0.3
y_a = 2.0 + 0.8 * x_a + rng.normal(0, 2, n_a)
y_b = 2.3 + 0.8 * x_b + rng.normal(0, 2, n_b)
theta = sm.OLS(np.concatenate([y_a, y_b]), sm.add_constant(np.concatenate([x_a, x_b]))).fit().params[1]
m_a, m_b = y_a.mean(), y_b.mean()
g = ((y_b - theta * x_b).mean() - (y_a - theta * x_a).mean()) / abs(m_a)
inf_b = (y_b - theta * x_b - (y_b - theta * x_b).mean()) / abs(m_a)
inf_a = ((m_b / m_a) * (y_a - m_a) - theta * (x_a - x_a.mean())) / abs(m_a)
se = math.sqrt(np.var(inf_b, ddof=1) / n_b + np.var(inf_a, ddof=1) / n_a)
for name, y, x in [("control", y_a, x_a), ("treatment", y_b, x_b)]:
    print("cupedMean", name, len(y), repr(y.sum()), repr((y * y).sum()), repr(x.sum()),
          repr((x * x).sum()), repr((x * y).sum()))
print("cupedMean relative", repr(g), repr(se))

arms = []
for n_arm, ctr, shift in [(1500, 0.10, 0.0), (1600, 0.11, 0.4)]:
    activity = rng.gamma(2.0, 5.0, n_arm) + shift
    d = rng.poisson(activity).astype(float) + 1
    m = rng.binomial(d.astype(int), ctr).astype(float)
    x = rng.poisson(activity * ctr).astype(float)
    arms.append((m, d, x))
m_all = np.concatenate([a[0] for a in arms]); d_all = np.concatenate([a[1] for a in arms])
x_all = np.concatenate([a[2] for a in arms])
theta = sm.OLS((m_all - m_all.sum() / d_all.sum() * d_all) / d_all.mean(), sm.add_constant(x_all)).fit().params[1]
(m_a, d_a, x_a), (m_b, d_b, x_b) = arms
r_a, r_b = m_a.sum() / d_a.sum(), m_b.sum() / d_b.sum()
l_a, l_b = (m_a - r_a * d_a) / d_a.mean(), (m_b - r_b * d_b) / d_b.mean()
g = ((r_b - theta * x_b.mean()) - (r_a - theta * x_a.mean())) / abs(r_a)
inf_b = (l_b - theta * (x_b - x_b.mean())) / abs(r_a)
inf_a = ((r_b / r_a) * l_a - theta * (x_a - x_a.mean())) / abs(r_a)
se = math.sqrt(np.var(inf_b, ddof=1) / len(m_b) + np.var(inf_a, ddof=1) / len(m_a))
for name, (m, d, x) in zip(["control", "treatment"], arms):
    print("cupedRatio", name, len(m), repr(m.sum()), repr((m * m).sum()), repr(d.sum()),
          repr((d * d).sum()), repr((m * d).sum()), repr(x.sum()), repr((x * x).sum()),
          repr((x * m).sum()), repr((x * d).sum()))
print("cupedRatio relative", repr(g), repr(se))
