package io.splitrank.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Adjusted p-values for many arms or metrics at once: Holm's step-down (family-wise error rate) and
 * Benjamini–Hochberg's step-up (false discovery rate), as statsmodels' {@code multipletests} with
 * {@code method="holm"} and {@code "fdr_bh"}. Guardrail metrics are reported, not corrected: leave
 * them out of the family.
 */
public final class MultipleComparisons {

    private MultipleComparisons() {}

    /** Adjusted p-values in the order of {@code pValues}, by the given correction. */
    public static double[] adjust(Correction correction, double[] pValues) {
        return switch (correction) {
            case NONE -> pValues.clone();
            case HOLM -> holm(pValues);
            case BENJAMINI_HOCHBERG -> benjaminiHochberg(pValues);
        };
    }

    /** Holm: the i-th smallest p becomes max over j ≤ i of min(1, (m − j + 1)·p_(j)). */
    public static double[] holm(double[] pValues) {
        validate(pValues);
        int m = pValues.length;
        Integer[] order = ascending(pValues);
        double[] adjusted = new double[m];
        double running = 0.0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /** Benjamini–Hochberg: the i-th smallest p becomes min over j ≥ i of min(1, m·p_(j)/j). */
    public static double[] benjaminiHochberg(double[] pValues) {
        validate(pValues);
        int m = pValues.length;
        Integer[] order = ascending(pValues);
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int rank = m - 1; rank >= 0; rank--) {
            int i = order[rank];
            running = Math.min(running, Math.min(1.0, (double) m / (rank + 1) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /**
     * Re-adjusts the comparisons of several analyses as one family (the live report corrects across
     * all arms of all non-guardrail metrics). The adjusted p-value of every computed comparison is
     * replaced; comparisons carrying an error do not count towards the family.
     */
    public static List<AnalysisResult> adjustAcross(
            Correction correction, List<AnalysisResult> analyses) {
        List<Double> raw = new ArrayList<>();
        for (AnalysisResult analysis : analyses) {
            for (ArmResult arm : analysis.arms()) {
                if (arm.comparison() != null && arm.comparison().computed()) {
                    raw.add(arm.comparison().fixedHorizon().pValue());
                }
            }
        }
        double[] adjusted =
                adjust(correction, raw.stream().mapToDouble(Double::doubleValue).toArray());
        int next = 0;
        List<AnalysisResult> result = new ArrayList<>(analyses.size());
        for (AnalysisResult analysis : analyses) {
            List<ArmResult> arms = new ArrayList<>(analysis.arms().size());
            for (ArmResult arm : analysis.arms()) {
                Comparison c = arm.comparison();
                if (c != null && c.computed()) {
                    c = c.withAdjustedPValue(adjusted[next++]);
                }
                arms.add(new ArmResult(arm.key(), arm.n(), arm.mean(), arm.variance(), c));
            }
            result.add(new AnalysisResult(arms, analysis.srm()));
        }
        return result;
    }

    private static void validate(double[] pValues) {
        for (int i = 0; i < pValues.length; i++) {
            if (!(pValues[i] >= 0 && pValues[i] <= 1)) {
                throw new InvalidStatisticsException(
                        "pValues[" + i + "]", "a p-value must lie in [0, 1], got " + pValues[i]);
            }
        }
    }

    private static Integer[] ascending(double[] pValues) {
        Integer[] order = new Integer[pValues.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        return order;
    }
}
