package io.splitrank.benchmarks.rank;

import io.splitrank.models.artifact.RankingModel;
import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.EncodedFeatures;
import io.splitrank.models.marketplace.FeatureEncoder;
import io.splitrank.models.marketplace.Marketplace;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the benchmark ranks: one fixed set of distinct marketplace ads as the candidates of every
 * call, for users of the same marketplace, in one scenario. The same (user, candidates, scenario)
 * becomes a {@code POST /api/v1/rank} body or the feature arrays of the raw forward pass, encoded
 * exactly as the app's {@code DjlRanker} encodes that body.
 */
final class RankWorkload {

    private final Marketplace world;
    private final int[] ads;
    private final String scenario;
    private final List<Map<String, Object>> adFeatures = new ArrayList<>();

    RankWorkload(Marketplace world, int candidates, String scenario, long seed) {
        if (candidates < 1 || candidates > world.numAds()) {
            throw new IllegalArgumentException("--candidates must be 1 to " + world.numAds());
        }
        if (world.scenarioIndex(scenario) < 0) {
            throw new IllegalArgumentException(
                    "unknown scenario "
                            + scenario
                            + "; the marketplace has "
                            + world.featureSpec().scenarios());
        }
        this.world = world;
        this.scenario = scenario;
        // distinct ads drawn uniformly (partial Fisher-Yates), the same every run
        int[] all = new int[world.numAds()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < candidates; i++) {
            int j = i + r.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        this.ads = java.util.Arrays.copyOf(all, candidates);
        for (int ad : ads) {
            adFeatures.add(world.adFeatures(ad));
        }
    }

    int candidates() {
        return ads.length;
    }

    String scenario() {
        return scenario;
    }

    /** The marketplace user behind call {@code n} (its features; the unit id is the caller's). */
    int user(long n) {
        return (int) Math.floorMod(n * 7919 + 13, world.numUsers());
    }

    /** The id of candidate {@code i}, as the body names it. */
    String itemId(int i) {
        return "a" + ads[i];
    }

    /** The unit's attributes as a caller sends them: hash attribute, scenario and user features. */
    Map<String, Object> attributes(String unitId, int user) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("userId", unitId);
        a.put("scenario", scenario);
        a.putAll(world.userFeatures(user));
        return a;
    }

    /** The rank body of one call, in UTF-8. */
    byte[] body(String experiment, String unitId, int user) {
        StringBuilder sb = new StringBuilder(200 + ads.length * 220);
        sb.append("{\"experiment\":");
        string(sb, experiment);
        sb.append(",\"attributes\":");
        object(sb, attributes(unitId, user));
        sb.append(",\"candidates\":[");
        for (int i = 0; i < ads.length; i++) {
            Bid bid = world.bidOf(ads[i]);
            Map<String, Object> features = adFeatures.get(i);
            sb.append(i == 0 ? "{" : ",{").append("\"itemId\":");
            string(sb, itemId(i));
            sb.append(",\"bid\":")
                    .append(bid.amount())
                    .append(",\"bidType\":\"")
                    .append(bid.onValue() ? "value" : "cpa")
                    .append("\",\"conversionType\":");
            string(sb, features.get("conversion_type").toString());
            sb.append(",\"features\":");
            object(sb, features);
            sb.append('}');
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The feature arrays of one forward pass over every candidate, as {@code DjlRanker} builds
     * them.
     */
    record Batch(int[] categorical, float[] dense, int[] scenario, int[] conversionType) {}

    Batch batch(RankingModel model, String unitId, int user) {
        FeatureSpec spec = model.featureSpec();
        FeatureEncoder encoder = new FeatureEncoder(spec);
        Map<String, Object> attributes = attributes(unitId, user);
        int n = ads.length;
        int nc = spec.categoricalCount();
        int nd = spec.denseCount();
        int[] categorical = new int[n * nc];
        float[] dense = new float[n * nd];
        int[] scenarios = new int[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            EncodedFeatures f = encoder.encode(attributes, adFeatures.get(i), scenario);
            if (f.scenario() < 0 || f.conversionType() < 0) {
                throw new IllegalStateException(
                        "model "
                                + model.metadata().key()
                                + " does not know the scenario or"
                                + " conversion type of candidate "
                                + i);
            }
            System.arraycopy(f.categorical(), 0, categorical, i * nc, nc);
            System.arraycopy(f.dense(), 0, dense, i * nd, nd);
            scenarios[i] = f.scenario();
            types[i] = f.conversionType();
        }
        return new Batch(categorical, dense, scenarios, types);
    }

    private static void object(StringBuilder sb, Map<String, Object> map) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            sb.append(first ? "" : ",");
            first = false;
            string(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v instanceof Number number) {
                double d = number.doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("not a JSON number: " + v);
                }
                sb.append(v);
            } else {
                string(sb, String.valueOf(v));
            }
        }
        sb.append('}');
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
