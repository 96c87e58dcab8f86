package io.splitrank.models.eval;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.marketplace.GroundTruth;
import io.splitrank.models.marketplace.Marketplace;
import java.util.ArrayList;
import java.util.List;

/**
 * The held-out data of one comparison seed: an impression log for the entire-space tasks (CTR,
 * CTCVR) and a post-click log for the post-click tasks (CVR per conversion type, related action,
 * value) that holds at least a given number of conversions of every type. Purchases are about one
 * impression in 7,500, so a post-click set with 1,000 purchases needs some 8 million logged
 * impressions, of which only the clicked ones (about 4 %) are kept; scoring only those keeps
 * evaluation cheap.
 *
 * @param impressions logged impressions (all of them)
 * @param clicked clicked impressions from a separate stream, until every type has enough
 *     conversions
 * @param loggedForClicked impressions logged to collect {@code clicked}
 */
public record TestSets(ImpressionLog impressions, ImpressionLog clicked, long loggedForClicked) {

    private static final int CHUNK = 1_000_000;

    /**
     * Logs {@code impressions} impressions with {@code impressionSeed}, and clicked impressions
     * from chunks seeded by {@code Marketplace.splitSeed(clickSeed, c)} until every conversion type
     * has at least {@code minConversions} conversions.
     */
    public static TestSets generate(
            Marketplace world,
            int impressions,
            long impressionSeed,
            long clickSeed,
            int minConversions) {
        ImpressionLog all = world.generate(impressions, impressionSeed);
        int types = all.spec().conversionTypes().size();
        long[] conversions = new long[types];
        List<ImpressionLog> parts = new ArrayList<>();
        long logged = 0;
        for (int c = 0; min(conversions) < minConversions; c++) {
            if (c > 1_000) {
                throw new IllegalStateException("too few conversions in 1e9 impressions");
            }
            ImpressionLog chunk = world.generate(CHUNK, Marketplace.splitSeed(clickSeed, c));
            logged += CHUNK;
            int[] rows = new int[chunk.size()];
            int m = 0;
            for (int i = 0; i < chunk.size(); i++) {
                if (chunk.click()[i] == 1f) {
                    rows[m++] = i;
                    if (chunk.conversion()[i] == 1f) {
                        conversions[chunk.conversionType()[i]]++;
                    }
                }
            }
            parts.add(rows(chunk, java.util.Arrays.copyOf(rows, m)));
        }
        return new TestSets(all, concat(parts), logged);
    }

    /** The ground truth as predictions for every row of {@code log} (the ceiling). */
    public static Predictions truth(Marketplace world, ImpressionLog log) {
        int n = log.size();
        int nc = log.spec().categoricalCount();
        int adColumn = log.spec().categoricalIndex("ad_id");
        float[] ctr = new float[n];
        float[] cvr = new float[n];
        float[] related = new float[n];
        float[] amount = new float[n];
        for (int i = 0; i < n; i++) {
            GroundTruth t =
                    world.truth(
                            log.userId()[i],
                            log.categorical()[i * nc + adColumn] - 1,
                            log.scenario()[i]);
            ctr[i] = (float) t.pClick();
            cvr[i] = (float) t.pConversion();
            related[i] = (float) t.pRelatedAction();
            amount[i] = (float) t.expectedAmount();
        }
        return new Predictions(ctr, cvr, related, amount);
    }

    private static long min(long[] values) {
        long m = Long.MAX_VALUE;
        for (long v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** The given rows of a log, as a new log. */
    public static ImpressionLog rows(ImpressionLog log, int[] rows) {
        RowCopy copy = new RowCopy(log.spec(), rows.length);
        for (int r : rows) {
            copy.add(log, r);
        }
        return copy.log();
    }

    private static ImpressionLog concat(List<ImpressionLog> parts) {
        RowCopy copy =
                new RowCopy(
                        parts.get(0).spec(), parts.stream().mapToInt(ImpressionLog::size).sum());
        for (ImpressionLog part : parts) {
            for (int r = 0; r < part.size(); r++) {
                copy.add(part, r);
            }
        }
        return copy.log();
    }

    /** A new log filled row by row with rows of other logs of the same spec. */
    private static final class RowCopy {
        private final FeatureSpec spec;
        private final int n;
        private final int nc;
        private final int nd;
        private final int[] categorical;
        private final float[] dense;
        private final int[] scenario;
        private final int[] type;
        private final int[] user;
        private final float[] click;
        private final float[] conversion;
        private final float[] related;
        private final float[] amount;
        private int k;

        RowCopy(FeatureSpec spec, int n) {
            this.spec = spec;
            this.n = n;
            nc = spec.categoricalCount();
            nd = spec.denseCount();
            categorical = new int[n * nc];
            dense = new float[n * nd];
            scenario = new int[n];
            type = new int[n];
            user = new int[n];
            click = new float[n];
            conversion = new float[n];
            related = new float[n];
            amount = new float[n];
        }

        void add(ImpressionLog log, int r) {
            System.arraycopy(log.categorical(), r * nc, categorical, k * nc, nc);
            System.arraycopy(log.dense(), r * nd, dense, k * nd, nd);
            scenario[k] = log.scenario()[r];
            type[k] = log.conversionType()[r];
            user[k] = log.userId()[r];
            click[k] = log.click()[r];
            conversion[k] = log.conversion()[r];
            related[k] = log.relatedAction()[r];
            amount[k] = log.amount()[r];
            k++;
        }

        ImpressionLog log() {
            return new ImpressionLog(
                    spec,
                    n,
                    categorical,
                    dense,
                    scenario,
                    type,
                    user,
                    click,
                    conversion,
                    related,
                    amount);
        }
    }
}
