package io.splitrank.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The analysis of one metric across the arms of an experiment: per-arm statistics, each treatment's
 * lift over the control (the first arm) with a Welch t test, an always-valid confidence sequence
 * and a Bayesian posterior, p-values adjusted across the arms, and a sample ratio mismatch check.
 * Immutable; configure with {@code withX(...)}:
 *
 * <pre>{@code
 * AnalysisResult result = ExperimentAnalysis.withDefaults()
 *     .withAlpha(0.05)
 *     .withDifferenceType(DifferenceType.RELATIVE)
 *     .withCorrection(Correction.HOLM)
 *     .analyze(MetricType.MEAN, arms);
 * }</pre>
 *
 * <p>Bad input throws {@link InvalidStatisticsException} naming the field; a comparison that cannot
 * be computed (zero variance, zero control mean, n &lt; 2, an empty arm) carries an error instead
 * of numbers. Nothing else escapes, and no NaN is ever returned.
 */
public final class ExperimentAnalysis {

    /** Default tuning N* of the confidence sequence. */
    public static final double DEFAULT_SEQUENTIAL_TUNING = 5000;

    private final double alpha;
    private final DifferenceType differenceType;
    private final double sequentialTuning;
    private final Correction correction;
    private final NormalPrior prior;
    private final boolean regressionAdjustment;

    private ExperimentAnalysis(
            double alpha,
            DifferenceType differenceType,
            double sequentialTuning,
            Correction correction,
            NormalPrior prior,
            boolean regressionAdjustment) {
        this.alpha = alpha;
        this.differenceType = differenceType;
        this.sequentialTuning = sequentialTuning;
        this.correction = correction;
        this.prior = prior;
        this.regressionAdjustment = regressionAdjustment;
    }

    /**
     * α = 0.05, relative lift, N* = 5000, Holm across arms, flat prior, no regression adjustment.
     */
    public static ExperimentAnalysis withDefaults() {
        return new ExperimentAnalysis(
                0.05,
                DifferenceType.RELATIVE,
                DEFAULT_SEQUENTIAL_TUNING,
                Correction.HOLM,
                null,
                false);
    }

    /** Two-sided significance level, in (0, 0.5]. */
    public ExperimentAnalysis withAlpha(double alpha) {
        checkAlpha(alpha);
        return new ExperimentAnalysis(
                alpha, differenceType, sequentialTuning, correction, prior, regressionAdjustment);
    }

    /** Relative or absolute lift. */
    public ExperimentAnalysis withDifferenceType(DifferenceType differenceType) {
        if (differenceType == null) {
            throw new InvalidStatisticsException("differenceType", "is required");
        }
        return new ExperimentAnalysis(
                alpha, differenceType, sequentialTuning, correction, prior, regressionAdjustment);
    }

    /** Tuning N* of the confidence sequence: the total sample size at which it is tightest. */
    public ExperimentAnalysis withSequentialTuning(double sequentialTuning) {
        checkSequentialTuning(sequentialTuning);
        return new ExperimentAnalysis(
                alpha, differenceType, sequentialTuning, correction, prior, regressionAdjustment);
    }

    /** Correction of the fixed-horizon p-values across the treatments of this analysis. */
    public ExperimentAnalysis withCorrection(Correction correction) {
        if (correction == null) {
            throw new InvalidStatisticsException("correction", "is required");
        }
        return new ExperimentAnalysis(
                alpha, differenceType, sequentialTuning, correction, prior, regressionAdjustment);
    }

    /** A normal prior on the lift, or {@code null} for the flat prior. */
    public ExperimentAnalysis withPrior(NormalPrior prior) {
        return new ExperimentAnalysis(
                alpha, differenceType, sequentialTuning, correction, prior, regressionAdjustment);
    }

    /**
     * CUPED for mean and ratio metrics ({@code "cuped": true}): every arm must then carry its
     * covariate sums.
     */
    public ExperimentAnalysis withRegressionAdjustment(boolean regressionAdjustment) {
        return new ExperimentAnalysis(
                alpha, differenceType, sequentialTuning, correction, prior, regressionAdjustment);
    }

    /**
     * Analyses one metric.
     *
     * @param type the metric type; every arm's statistics must be of this type
     * @param arms the arms, control first
     * @throws InvalidStatisticsException when the input is malformed, naming the field
     */
    public AnalysisResult analyze(MetricType type, List<ArmInput> arms) {
        InputValidation.validate(type, arms, regressionAdjustment);
        List<MetricStatistic> statistics = new ArrayList<>(arms.size());
        long[] units = new long[arms.size()];
        double[] weights = new double[arms.size()];
        for (int i = 0; i < arms.size(); i++) {
            statistics.add(arms.get(i).statistics());
            units[i] = arms.get(i).statistics().n();
            weights[i] = arms.get(i).weight();
        }
        ArmMoments[] moments = RegressionAdjustment.moments(statistics, regressionAdjustment);
        double z = Distributions.normalQuantile(1 - alpha / 2);
        Comparison[] comparisons = new Comparison[arms.size()];
        for (int i = 1; i < arms.size(); i++) {
            comparisons[i] = compare(moments[0], moments[i], z);
        }
        adjustAcrossArms(comparisons);
        List<ArmResult> results = new ArrayList<>(arms.size());
        for (int i = 0; i < arms.size(); i++) {
            ArmMoments m = moments[i];
            results.add(
                    new ArmResult(
                            arms.get(i).key(),
                            m.n(),
                            finiteOrNull(m.mean()),
                            finiteOrNull(m.variance()),
                            comparisons[i]));
        }
        return new AnalysisResult(results, SampleRatioMismatch.test(units, weights));
    }

    /** One treatment against the control; z = Φ⁻¹(1 − α/2), the same for every comparison. */
    private Comparison compare(ArmMoments control, ArmMoments treatment, double z) {
        Lift lift = Lift.of(control, treatment, differenceType);
        if (!lift.computed()) {
            return Comparison.failed(lift.error());
        }
        try {
            FixedHorizon fixed = FixedHorizonInference.test(lift, alpha);
            Comparison comparison =
                    new Comparison(
                            lift.estimate(),
                            lift.standardError(),
                            fixed,
                            SequentialInference.test(lift, alpha, sequentialTuning),
                            BayesianInference.withQuantile(lift, prior, z),
                            fixed.pValue(),
                            null);
            return allFinite(comparison)
                    ? comparison
                    : Comparison.failed("not computable: a result is not a finite number");
        } catch (RuntimeException e) {
            // the distribution library signals bad arguments and non-convergence with exceptions;
            // the
            // caller gets an answer instead
            return Comparison.failed("not computable: " + e.getMessage());
        }
    }

    private void adjustAcrossArms(Comparison[] comparisons) {
        List<Integer> computed = new ArrayList<>();
        for (int i = 1; i < comparisons.length; i++) {
            if (comparisons[i].computed()) {
                computed.add(i);
            }
        }
        double[] raw = new double[computed.size()];
        for (int k = 0; k < raw.length; k++) {
            raw[k] = comparisons[computed.get(k)].fixedHorizon().pValue();
        }
        double[] adjusted = MultipleComparisons.adjust(correction, raw);
        for (int k = 0; k < raw.length; k++) {
            int i = computed.get(k);
            comparisons[i] = comparisons[i].withAdjustedPValue(adjusted[k]);
        }
    }

    private static boolean allFinite(Comparison c) {
        double[] values = {
            c.estimate(),
            c.standardError(),
            c.fixedHorizon().ci().get(0),
            c.fixedHorizon().ci().get(1),
            c.fixedHorizon().pValue(),
            c.fixedHorizon().degreesOfFreedom(),
            c.sequential().ci().get(0),
            c.sequential().ci().get(1),
            c.sequential().pValue(),
            c.bayesian().chanceToWin(),
            c.bayesian().ci().get(0),
            c.bayesian().ci().get(1),
            c.bayesian().risk().control(),
            c.bayesian().risk().treatment()
        };
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static void checkSequentialTuning(double sequentialTuning) {
        if (!(sequentialTuning > 0) || !Double.isFinite(sequentialTuning)) {
            throw new InvalidStatisticsException("sequentialTuning", "must be positive");
        }
    }

    static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new InvalidStatisticsException("alpha", "must lie in (0, 0.5], got " + alpha);
        }
    }
}
