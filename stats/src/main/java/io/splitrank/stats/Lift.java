package io.splitrank.stats;

/**
 * The lift of a treatment B over the control A with its standard error and Welch degrees of
 * freedom, or the reason it cannot be computed.
 *
 * <p>Relative lift Δ = (a_B − a_A)/|m_A|, where a is the (possibly CUPED-adjusted) mean and m_A the
 * unadjusted control mean. Its delta-method variance, with the derivative in the control's moments
 * taken at X̄_B ≈ X̄_A as GrowthBook's engine does (docs/statistics.md, CUPED), is s̃²_B/(n_B·m²_A)
 * + [(m_B/m_A)²·s²_A − 2θ·(m_B/m_A)·cov_A(Y, X) + θ²·s²_{X,A}]/(n_A·m²_A): the control's unadjusted
 * mean is random and shares its units with the adjusted one. Without adjustment (θ = 0) it is
 * exactly s²_B/(n_B·m²_A) + s²_A·m²_B/(n_A·m⁴_A).
 */
record Lift(
        double estimate, double standardError, double degreesOfFreedom, long units, String error) {

    static Lift failed(String error) {
        return new Lift(Double.NaN, Double.NaN, Double.NaN, 0, error);
    }

    boolean computed() {
        return error == null;
    }

    static Lift of(ArmMoments control, ArmMoments treatment, DifferenceType type) {
        if (!control.isUsable()) {
            return failed("control: " + control.error());
        }
        if (!treatment.isUsable()) {
            return failed(treatment.error());
        }
        long nA = control.n();
        long nB = treatment.n();
        double vA = control.adjustedVariance();
        double vB = treatment.adjustedVariance();
        if (vA == 0 && vB == 0) {
            return failed("zero variance in both arms");
        }
        double difference = treatment.adjustedMean() - control.adjustedMean();
        double estimate;
        double variance;
        if (type == DifferenceType.ABSOLUTE) {
            estimate = difference;
            variance = vB / nB + vA / nA;
        } else {
            double mA = control.mean();
            if (mA == 0) {
                return failed("zero control mean");
            }
            double mA2 = mA * mA;
            estimate = difference / Math.abs(mA);
            // from the arm's moments: θ·cov(Y, X) = s²_Y − cov(ã, Y) and θ²·s²_X = s̃² − s²_Y +
            // 2θ·cov(Y, X)
            double sA = control.variance();
            double thetaCov = sA - control.adjustedRawCovariance();
            double ratio = treatment.mean() / mA;
            double controlPart =
                    ratio * ratio * sA - 2 * ratio * thetaCov + (vA - sA + 2 * thetaCov);
            variance = vB / (nB * mA2) + Math.max(0.0, controlPart) / (nA * mA2);
        }
        double wA = vA / nA;
        double wB = vB / nB;
        double df = (wA + wB) * (wA + wB) / (wB * wB / (nB - 1) + wA * wA / (nA - 1));
        double standardError = Math.sqrt(variance);
        if (!(standardError > 0)) {
            return failed("zero variance of the lift");
        }
        if (!Double.isFinite(estimate) || !Double.isFinite(standardError) || !Double.isFinite(df)) {
            return failed("not computable: the statistics overflow double precision");
        }
        return new Lift(estimate, standardError, df, nA + nB, null);
    }
}
