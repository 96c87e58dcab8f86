package io.splitrank.stats;

import java.util.List;

/**
 * Asymptotic confidence sequence (Waudby-Smith et al.) with tuning N*: ρ = √((−2 ln α + ln(−2 ln α
 * + 1))/N*), half-width σ̂·√(2(nρ² + 1)/(n²ρ²)·ln(√(nρ² + 1)/α)) with σ̂² = SE²·n. Its p-value is
 * min(1, 1/E), E = exp(ρ²S/(2(nρ² + 1)))/√(nρ² + 1), S = Δ²n/SE², with ρ held at the configured α.
 */
final class SequentialInference {

    private SequentialInference() {}

    static double rho(double alpha, double tuning) {
        double minusTwoLogAlpha = -2 * Math.log(alpha);
        return Math.sqrt((minusTwoLogAlpha + Math.log(minusTwoLogAlpha + 1)) / tuning);
    }

    static Sequential test(Lift lift, double alpha, double tuning) {
        return test(lift.estimate(), lift.standardError(), lift.units(), alpha, tuning);
    }

    /**
     * The sequence for an estimate with standard error {@code se} after {@code n} units (for a
     * lift, the units of both arms; for an interleaving preference, the units with a preference).
     */
    static Sequential test(double estimate, double se, double n, double alpha, double tuning) {
        double rho = rho(alpha, tuning);
        double rho2 = rho * rho;
        double sigmaHat = se * Math.sqrt(n);
        double nRho2Plus1 = n * rho2 + 1;
        double halfWidth =
                sigmaHat
                        * Math.sqrt(
                                2
                                        * nRho2Plus1
                                        / (n * n * rho2)
                                        * Math.log(Math.sqrt(nRho2Plus1) / alpha));
        double z = estimate / se;
        double s = z * z * n;
        // log E, so that E never overflows
        double logE = rho2 * s / (2 * nRho2Plus1) - 0.5 * Math.log(nRho2Plus1);
        double pValue = Math.min(1.0, Math.exp(-logE));
        return new Sequential(List.of(estimate - halfWidth, estimate + halfWidth), pValue);
    }
}
