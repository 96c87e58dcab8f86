#!/usr/bin/python3
"""Independent reference values for io.splitrank.models.eval (MetricsReferenceTest).

Run with Debian's /usr/bin/python3 (scipy 1.10.1, numpy): writes reference_data.csv, a fixed small
dataset with tied scores, several users and scores of exactly 0 and 1, and reference_expected.properties:
  auc    scipy.stats.mannwhitneyu(pos, neg).statistic / (n1 * n0)   (U of the positives, ties averaged)
  gauc   per user with both classes, the same AUC, weighted by the user's impression count
  logloss  numpy mean binary cross-entropy, scores clipped to [1e-7, 1 - 1e-7]
  nrmse  numpy sqrt(mean((predicted - actual)^2)) / mean(actual)
Scores and amounts are float32 (as the Java code reads them), computed in float64.
"""
import numpy as np
import scipy
from scipy.stats import mannwhitneyu

rng = np.random.default_rng(20261122)
n = 80
users = rng.integers(1, 9, size=n)
# a score related to the label, rounded to one decimal so that many scores tie
labels = (rng.random(n) < 0.35).astype(np.int64)
scores = np.clip(np.round(0.35 * labels + rng.random(n) * 0.75, 1), 0.0, 1.0).astype(np.float32)
scores[0], scores[1] = np.float32(0.0), np.float32(1.0)
labels[0], labels[1] = 1, 0  # two confident mistakes, to exercise the clipping
actual = np.round(rng.lognormal(3.5, 0.6, size=n), 3).astype(np.float32)
predicted = np.round(actual * rng.lognormal(0.0, 0.3, size=n), 3).astype(np.float32)


def auc(y, s):
    pos, neg = s[y == 1].astype(np.float64), s[y == 0].astype(np.float64)
    return mannwhitneyu(pos, neg, alternative="two-sided").statistic / (len(pos) * len(neg))


weights, aucs = [], []
for u in np.unique(users):
    mask = users == u
    if 0 < labels[mask].sum() < mask.sum():
        weights.append(mask.sum())
        aucs.append(auc(labels[mask], scores[mask]))
gauc = float(np.dot(weights, aucs) / np.sum(weights))

p = np.clip(scores.astype(np.float64), 1e-7, 1 - 1e-7)
logloss = float(-np.mean(labels * np.log(p) + (1 - labels) * np.log1p(-p)))
a, f = actual.astype(np.float64), predicted.astype(np.float64)
nrmse = float(np.sqrt(np.mean((f - a) ** 2)) / np.mean(a))

with open("reference_data.csv", "w") as out:
    out.write("label,score,user,actual,predicted\n")
    for row in zip(labels, scores, users, actual, predicted):
        out.write("%d,%r,%d,%r,%r\n" % (row[0], float(row[1]), row[2], float(row[3]), float(row[4])))
with open("reference_expected.properties", "w") as out:
    out.write("# written by reference_metrics.py with scipy %s, numpy %s\n" % (scipy.__version__, np.__version__))
    out.write("auc=%r\ngauc=%r\ngauc.users=%d\nlogloss=%r\nnrmse=%r\n"
              % (float(auc(labels, scores)), gauc, len(weights), logloss, nrmse))
