package io.splitrank.models.marketplace;

import io.splitrank.models.data.ImpressionLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The base rates of a logged dataset: click-through per scenario, conversion per click per type,
 * the related action per click and the purchase amounts. Used to document the world and to check
 * that a dataset looks like the one models/README.md describes.
 *
 * @param impressions the number of impressions
 * @param clicks the number of clicks
 * @param conversions the number of conversions (all types)
 * @param relatedActions the number of related actions
 * @param ctrByScenario clicks / impressions per scenario name
 * @param cvrByType conversions / clicks per conversion type name (post-click CVR)
 * @param conversionsByType the number of conversions per type
 * @param valuedConversions the number of conversions with an amount
 * @param meanAmount the mean amount over those conversions (NaN if none)
 */
public record LogSummary(
        long impressions,
        long clicks,
        long conversions,
        long relatedActions,
        Map<String, Double> ctrByScenario,
        Map<String, Double> cvrByType,
        Map<String, Long> conversionsByType,
        long valuedConversions,
        double meanAmount) {

    public LogSummary {
        ctrByScenario = Map.copyOf(ctrByScenario);
        cvrByType = Map.copyOf(cvrByType);
        conversionsByType = Map.copyOf(conversionsByType);
    }

    /** Click-through rate over all impressions. */
    public double ctr() {
        return (double) clicks / impressions;
    }

    /** Conversions of any type per click. */
    public double conversionsPerClick() {
        return (double) conversions / clicks;
    }

    /** Related actions per click. */
    public double relatedPerClick() {
        return (double) relatedActions / clicks;
    }

    /** Summarises a log. */
    public static LogSummary of(ImpressionLog log) {
        int scenarios = log.spec().scenarios().size();
        int types = log.spec().conversionTypes().size();
        long[] scenarioImpressions = new long[scenarios];
        long[] scenarioClicks = new long[scenarios];
        long[] typeClicks = new long[types];
        long[] typeConversions = new long[types];
        long clicks = 0;
        long conversions = 0;
        long related = 0;
        long valued = 0;
        double amount = 0;
        for (int i = 0; i < log.size(); i++) {
            boolean click = log.click()[i] == 1f;
            scenarioImpressions[log.scenario()[i]]++;
            if (click) {
                clicks++;
                scenarioClicks[log.scenario()[i]]++;
                typeClicks[log.conversionType()[i]]++;
            }
            if (log.conversion()[i] == 1f) {
                conversions++;
                typeConversions[log.conversionType()[i]]++;
            }
            if (log.relatedAction()[i] == 1f) {
                related++;
            }
            if (log.amount()[i] > 0) {
                valued++;
                amount += log.amount()[i];
            }
        }
        Map<String, Double> ctr = new LinkedHashMap<>();
        for (int s = 0; s < scenarios; s++) {
            ctr.put(
                    log.spec().scenarios().get(s),
                    (double) scenarioClicks[s] / scenarioImpressions[s]);
        }
        Map<String, Double> cvr = new LinkedHashMap<>();
        Map<String, Long> byType = new LinkedHashMap<>();
        for (int t = 0; t < types; t++) {
            cvr.put(
                    log.spec().conversionTypes().get(t),
                    (double) typeConversions[t] / typeClicks[t]);
            byType.put(log.spec().conversionTypes().get(t), typeConversions[t]);
        }
        return new LogSummary(
                log.size(),
                clicks,
                conversions,
                related,
                ctr,
                cvr,
                byType,
                valued,
                valued == 0 ? Double.NaN : amount / valued);
    }

    /** A human-readable multi-line report, scenarios and types in spec order. */
    public String describe(ImpressionLog log) {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format("impressions %d, clicks %d, CTR %.4f%n", impressions, clicks, ctr()));
        for (String s : log.spec().scenarios()) {
            out.append(String.format("  CTR %-8s %.4f%n", s, ctrByScenario.get(s)));
        }
        for (String t : log.spec().conversionTypes()) {
            out.append(
                    String.format(
                            "  CVR %-8s %.4f (%d conversions)%n",
                            t, cvrByType.get(t), conversionsByType.get(t)));
        }
        out.append(
                String.format(
                        "conversions/click %.4f, related/click %.4f, mean amount %.2f over %d%n",
                        conversionsPerClick(), relatedPerClick(), meanAmount, valuedConversions));
        return out.toString();
    }
}
