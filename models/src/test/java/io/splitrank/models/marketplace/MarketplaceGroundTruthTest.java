package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.models.data.ImpressionLog;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The logged labels follow the documented ground truth: on the default world (20,000 users, 2,000
 * ads) and 300,000 impressions, labels are consistent, base rates lie in the ranges
 * models/README.md states, and empirical rates match the true probabilities within sampling error
 * (4 standard errors, so a correct generator fails about once in 15,000 runs per check; the seeds
 * are fixed, so it never flakes).
 */
final class MarketplaceGroundTruthTest {

    private static Marketplace world;
    private static ImpressionLog log;
    private static GroundTruth[] truth;

    @BeforeAll
    static void generate() {
        world = new Marketplace(MarketplaceConfig.defaults());
        log = world.generate(300_000, 11L);
        int nc = log.spec().categoricalCount();
        int adColumn = log.spec().categoricalIndex("ad_id");
        truth = new GroundTruth[log.size()];
        for (int i = 0; i < log.size(); i++) {
            truth[i] =
                    world.truth(
                            log.userId()[i],
                            log.categorical()[i * nc + adColumn] - 1,
                            log.scenario()[i]);
        }
    }

    @Test
    void conversionsAndRelatedActionsHappenOnlyAfterClicksAndAmountsOnlyOnPurchases() {
        int purchase = log.spec().conversionTypes().indexOf("purchase");
        for (int i = 0; i < log.size(); i++) {
            if (log.conversion()[i] == 1f || log.relatedAction()[i] == 1f) {
                assertThat(log.click()[i]).as("row %d", i).isEqualTo(1f);
            }
            if (log.amount()[i] != 0f) {
                assertThat(log.conversion()[i]).as("row %d", i).isEqualTo(1f);
                assertThat(log.conversionType()[i]).as("row %d", i).isEqualTo(purchase);
                assertThat(log.amount()[i]).isPositive();
            }
            if (log.conversion()[i] == 1f && log.conversionType()[i] == purchase) {
                assertThat(log.amount()[i]).as("row %d", i).isPositive();
            }
        }
    }

    @Test
    void baseRatesLieInTheDocumentedRanges() {
        LogSummary summary = LogSummary.of(log);
        assertThat(summary.ctr()).as("CTR").isBetween(0.03, 0.06);
        assertThat(summary.ctrByScenario().get("home")).as("home CTR").isBetween(0.025, 0.04);
        assertThat(summary.ctrByScenario().get("search")).as("search CTR").isBetween(0.05, 0.075);
        assertThat(summary.ctrByScenario().get("detail")).as("detail CTR").isBetween(0.035, 0.055);
        assertThat(summary.conversionsPerClick()).as("conversions per click").isBetween(0.01, 0.05);
        assertThat(summary.cvrByType().get("install")).as("install CVR").isBetween(0.035, 0.065);
        assertThat(summary.cvrByType().get("register")).as("register CVR").isBetween(0.015, 0.035);
        assertThat(summary.cvrByType().get("purchase"))
                .as("purchase CVR, the scarce type")
                .isBetween(0.005, 0.016);
        assertThat(summary.relatedPerClick()).as("related action per click").isBetween(0.2, 0.35);
        assertThat(summary.valuedConversions())
                .isEqualTo(summary.conversionsByType().get("purchase"));
    }

    @Test
    void empiricalClickRateMatchesTrueClickProbabilityByDecile() {
        // order by pClick: positive float bits sort like the floats; the low half carries the row
        long[] keys = new long[log.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((long) Float.floatToIntBits((float) truth[i].pClick()) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int k = 0; k < keys.length; k++) {
            order[k] = (int) keys[k];
        }
        int bins = 10;
        for (int b = 0; b < bins; b++) {
            double expected = 0;
            double variance = 0;
            double observed = 0;
            for (int k = b * log.size() / bins; k < (b + 1) * log.size() / bins; k++) {
                double p = truth[order[k]].pClick();
                expected += p;
                variance += p * (1 - p);
                observed += log.click()[order[k]];
            }
            assertThat(Math.abs(observed - expected))
                    .as("decile %d: %s vs %s", b, observed, expected)
                    .isLessThan(4 * Math.sqrt(variance));
        }
    }

    @Test
    void empiricalPostClickRatesMatchTheTrueProbabilitiesPerType() {
        for (int t = 0; t < 3; t++) {
            double expected = 0;
            double variance = 0;
            double observed = 0;
            for (int i = 0; i < log.size(); i++) {
                if (log.click()[i] == 1f && log.conversionType()[i] == t) {
                    double p = truth[i].pConversion();
                    expected += p;
                    variance += p * (1 - p);
                    observed += log.conversion()[i];
                }
            }
            assertThat(Math.abs(observed - expected))
                    .as("type %d", t)
                    .isLessThan(4 * Math.sqrt(variance));
        }
        double expected = 0;
        double variance = 0;
        double observed = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.click()[i] == 1f) {
                double p = truth[i].pRelatedAction();
                expected += p;
                variance += p * (1 - p);
                observed += log.relatedAction()[i];
            }
        }
        assertThat(Math.abs(observed - expected)).isLessThan(4 * Math.sqrt(variance));
    }

    @Test
    void logAmountsCentreOnTheTrueLogMean() {
        // log A = μ + σZ and E[A] = exp(μ + σ²/2), so log A − (ln E[A] − σ²/2) ~ N(0, σ²)
        double sigma = MarketplaceConfig.defaults().amount().logSd();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.amount()[i] > 0) {
                sum +=
                        Math.log(log.amount()[i])
                                - (Math.log(truth[i].expectedAmount()) - sigma * sigma / 2);
                n++;
            }
        }
        assertThat(n).isGreaterThan(20);
        assertThat(Math.abs(sum / n)).isLessThan(4 * sigma / Math.sqrt(n));
    }

    @Test
    void theSharedAffinityLinksClickAndConversion() {
        // tasks share structure: among clicked impressions, pClick and pConversion are correlated
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        int n = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.click()[i] == 1f) {
                double x = Math.log(truth[i].pClick());
                double y = Math.log(truth[i].pConversion());
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
                n++;
            }
        }
        double cov = sxy / n - sx / n * sy / n;
        double corr = cov / Math.sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
        assertThat(corr).isGreaterThan(0.1);
    }
}
