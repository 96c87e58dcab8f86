package io.splitrank.stats;

import java.util.List;

/**
 * Normal posterior of the lift: N(Δ, SE²) under a flat prior, or the conjugate update with a normal
 * prior N(μ₀, τ²): precision 1/SE² + 1/τ², mean (Δ/SE² + μ₀/τ²)/precision. Chance to win P(lift
 * &gt; 0) = Φ(μ/σ); risk of keeping the control E[max(lift, 0)] = μΦ(μ/σ) + σφ(μ/σ), of shipping
 * the treatment E[max(−lift, 0)] = −μΦ(−μ/σ) + σφ(μ/σ).
 */
final class BayesianInference {

    private BayesianInference() {}

    static Bayesian test(Lift lift, NormalPrior prior, double alpha) {
        return withQuantile(lift, prior, Distributions.normalQuantile(1 - alpha / 2));
    }

    /** With z = Φ⁻¹(1 − α/2) computed once per analysis. */
    static Bayesian withQuantile(Lift lift, NormalPrior prior, double zOneMinusHalfAlpha) {
        double mean = lift.estimate();
        double variance = lift.standardError() * lift.standardError();
        if (prior != null) {
            double precision = 1 / variance + 1 / prior.variance();
            mean = (mean / variance + prior.mean() / prior.variance()) / precision;
            variance = 1 / precision;
        }
        double sd = Math.sqrt(variance);
        double z = mean / sd;
        double chanceToWin = Distributions.normalCdf(z);
        double halfWidth = zOneMinusHalfAlpha * sd;
        double density = Distributions.normalDensity(z);
        double riskControl = mean * chanceToWin + sd * density;
        double riskTreatment = -mean * Distributions.normalCdf(-z) + sd * density;
        return new Bayesian(
                chanceToWin,
                List.of(mean - halfWidth, mean + halfWidth),
                new Risk(Math.max(0.0, riskControl), Math.max(0.0, riskTreatment)));
    }
}
