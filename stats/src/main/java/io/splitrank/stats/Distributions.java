package io.splitrank.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * Normal, Student t and χ² functions accurate in the tails. Tail probabilities come from erfc and
 * the regularised incomplete beta and gamma functions directly, never as 1 − cdf; quantiles are
 * polished by Newton steps on the log of the tail probability, because commons-math's own
 * inverses lose relative accuracy far out (its normal inverse rounds 2p − 1 to −1 below p ≈ 1e-17).
 */
final class Distributions {

  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);
  private static final int MAX_NEWTON_STEPS = 100;
  private static final double HILL_MINIMUM_DF = 2000;

  private Distributions() {}

  /** Standard normal cdf Φ(z), accurate relative to its value in the lower tail. */
  static double normalCdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** Standard normal density φ(z). */
  static double normalDensity(double z) {
    return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  /** Standard normal quantile Φ⁻¹(p) for 0 &lt; p &lt; 1. */
  static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1): " + p);
    }
    if (p > 0.5) {
      return -normalQuantile(1.0 - p);
    }
    if (p == 0.5) {
      return 0.0;
    }
    double z = p > 1e-15 ? SQRT2 * Erf.erfInv(2.0 * p - 1.0) : -Math.sqrt(-2.0 * Math.log(p));
    double logP = Math.log(p);
    // Newton on log Φ(z) − log p: log Φ is concave, so the steps converge from either side.
    double previousStep = Double.POSITIVE_INFINITY;
    for (int i = 0; i < MAX_NEWTON_STEPS; i++) {
      double cdf = normalCdf(z);
      double step = (Math.log(cdf) - logP) * cdf / normalDensity(z);
      if (Math.abs(step) >= Math.abs(previousStep)) {
        break; // rounding noise: no further progress
      }
      z -= step;
      previousStep = step;
      if (Math.abs(step) <= 1e-15 * Math.max(1.0, Math.abs(z))) {
        break;
      }
    }
    return z;
  }

  /** Two-sided tail P(|T| ≥ |t|) of Student's t with {@code df} degrees of freedom. */
  static double tTwoSidedTail(double t, double df) {
    if (t == 0) {
      return 1.0;
    }
    if (df > HILL_MINIMUM_DF) {
      return hillTwoSidedTail(t, df);
    }
    return Beta.regularizedBeta(df / (df + t * t), 0.5 * df, 0.5, 1e-15, 10_000);
  }

  /**
   * Hill's normalising transformation (CACM Algorithm 395, 1970) for large df, where the
   * incomplete beta's continued fraction loses accuracy (5e-8 relative at df = 1e9) and time:
   * z = √y·(1 + (y + 3)/b + (((−0.4y − 3.3)y − 24)y − 85.5)/(b(0.8y² + 100 + b))) with
   * a = df − ½, b = 48a², y = a·ln(1 + t²/df); the tail is then 2Φ(−z). Agrees with scipy's
   * stdtr to ~1e-13 for df above 2000.
   */
  private static double hillTwoSidedTail(double t, double df) {
    double a = df - 0.5;
    double b = 48 * a * a;
    double y = a * Math.log1p(t * t / df);
    double z = ((((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b) + y + 3) / b + 1;
    z *= Math.sqrt(y);
    return 2 * normalCdf(-z);
  }

  /** Lower tail P(T ≤ t) of Student's t. */
  static double tCdf(double t, double df) {
    double half = 0.5 * tTwoSidedTail(t, df);
    return t <= 0 ? half : 1.0 - half;
  }

  /** Student t density. */
  static double tDensity(double t, double df) {
    double logDensity =
        Gamma.logGamma(0.5 * (df + 1))
            - Gamma.logGamma(0.5 * df)
            - 0.5 * Math.log(df * Math.PI)
            - 0.5 * (df + 1) * Math.log1p(t * t / df);
    return Math.exp(logDensity);
  }

  /** Student t quantile for 0 &lt; p &lt; 1 and df &gt; 0. */
  static double tQuantile(double p, double df) {
    return tQuantile(p, df, Double.NaN);
  }

  /**
   * Student t quantile, given the normal quantile Φ⁻¹(p) when the caller already has it (an
   * analysis needs the same level for every comparison), or NaN.
   */
  static double tQuantile(double p, double df, double normalQuantileOfP) {
    if (!(p > 0 && p < 1) || !(df > 0)) {
      throw new IllegalArgumentException("p must be in (0, 1) and df positive: " + p + ", " + df);
    }
    if (p > 0.5) {
      return -tQuantile(1.0 - p, df, -normalQuantileOfP);
    }
    if (p == 0.5) {
      return 0.0;
    }
    if (df == 1) {
      return -1 / Math.tan(Math.PI * p); // Cauchy, p < 1/2
    }
    if (df == 2) {
      return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
    }
    double t;
    if (df >= 5 && p > 1e-8) {
      double z = Double.isNaN(normalQuantileOfP) ? normalQuantile(p) : normalQuantileOfP;
      double lastTerm = cornishFisherLastTerm(z, df);
      t = cornishFisher(z, df);
      // the expansion alone is exact to double precision when its last term is negligible
      // (large df, as in most experiments); otherwise Newton polishes it
      if (Math.abs(lastTerm) <= 1e-14 * Math.abs(t)) {
        return t;
      }
    } else {
      t = commonsQuantile(p, df);
    }
    if (!Double.isFinite(t) || t >= 0) {
      t = normalQuantile(p);
    }
    double logP = Math.log(p);
    double previousStep = Double.POSITIVE_INFINITY;
    for (int i = 0; i < MAX_NEWTON_STEPS; i++) {
      double cdf = 0.5 * tTwoSidedTail(t, df);
      double step = (Math.log(cdf) - logP) * cdf / tDensity(t, df);
      if (Math.abs(step) >= Math.abs(previousStep)) {
        break; // rounding noise: no further progress
      }
      double next = t - step;
      // keep the iterate in the lower half, where the tail formula holds
      t = next < 0 ? next : 0.5 * t;
      previousStep = step;
      if (Math.abs(step) <= 1e-14 * Math.abs(t)) {
        break;
      }
    }
    return t;
  }

  /**
   * Cornish–Fisher expansion of the t quantile around the normal one, to order 1/df⁴
   * (Abramowitz and Stegun 26.7.5): a start that the Newton steps only polish.
   */
  private static double cornishFisherLastTerm(double z, double df) {
    double z2 = z * z;
    double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return g4 / (df * df * df * df);
  }

  private static double cornishFisher(double z, double df) {
    double z2 = z * z;
    double g1 = (z2 + 1) * z / 4;
    double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
  }

  private static double commonsQuantile(double p, double df) {
    return new TDistribution(null, df).inverseCumulativeProbability(p);
  }

  /** Upper tail P(χ²_k ≥ x). */
  static double chiSquareSurvival(double x, double degreesOfFreedom) {
    if (x <= 0) {
      return 1.0;
    }
    return Gamma.regularizedGammaQ(0.5 * degreesOfFreedom, 0.5 * x, 1e-15, 10_000);
  }
}
