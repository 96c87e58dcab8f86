package io.splitrank.models.marketplace;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.ImpressionLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The synthetic ad marketplace: a seeded world of users, ads, scenarios and conversion types whose
 * ground truth is known. It logs labelled impressions for training and evaluation ({@link
 * #generate}, {@link #splits}) and answers the true probabilities of any (user, ad, scenario) for
 * live simulation ({@link #truth}). The same config always builds the same world; the same
 * impression seed always logs the same impressions. models/README.md states the generative process
 * in formulas.
 *
 * <p>Indices: users are {@code 0..numUsers-1}, ads {@code 0..numAds-1}, scenarios and conversion
 * types their list index. In an {@link ImpressionLog} the categorical ids are index + 1 (0 is the
 * unknown bucket), {@code userId} is the user index, and {@code scenario} and {@code
 * conversionType} are indices. Immutable and safe to share between threads.
 */
public final class Marketplace {

    /** Stream numbers of the split seeds derived from the world seed. */
    private static final int TRAIN_STREAM = 1;

    private static final int VALID_STREAM = 2;
    private static final int TEST_STREAM = 3;

    /**
     * The share of a purchase's amount a value-bidding ad pays per unit of e^{b_i}: with a mean
     * amount near 88 and a purchase CVR near 1%, it puts a purchase ad's expected revenue per click
     * in the range of the oCPA ads' (install about 5% × e^{b_i}), so every type competes for the
     * slots.
     */
    public static final double VALUE_SHARE = 0.05;

    private final MarketplaceConfig config;
    private final FeatureSpec spec;
    private final UserPopulation users;
    private final AdCatalogue ads;

    /** C[age][category] ~ N(0, 1), the demographic-category interaction. */
    private final double[] ageCategory;

    private final double[] scenarioCdf;
    private final double affinityNorm;

    /** Builds the world of {@code config} (deterministic in {@code config.seed()}). */
    public Marketplace(MarketplaceConfig config) {
        this.config = config;
        this.spec = FeatureEncoder.specOf(config);
        SplittableRandom root = new SplittableRandom(config.seed());
        this.users = new UserPopulation(config.numUsers(), config.latentDim(), root.split());
        this.ads = new AdCatalogue(config, root.split());
        this.ageCategory =
                UserPopulation.gaussians(
                        root.split(),
                        UserPopulation.AGE_BUCKETS.size() * config.numCategories(),
                        1.0);
        this.scenarioCdf = new double[config.scenarios().size()];
        double total = 0;
        for (int s = 0; s < scenarioCdf.length; s++) {
            total += config.scenarios().get(s).trafficShare();
            scenarioCdf[s] = total;
        }
        this.affinityNorm = 1 / Math.sqrt(config.latentDim());
    }

    /** The parameters this world was built from. */
    public MarketplaceConfig config() {
        return config;
    }

    /** The feature layout of every log this marketplace writes. */
    public FeatureSpec featureSpec() {
        return spec;
    }

    /** An encoder from raw features by name to this marketplace's ids. */
    public FeatureEncoder encoder() {
        return new FeatureEncoder(spec);
    }

    /** The number of users; user indices are {@code 0..numUsers()-1}. */
    public int numUsers() {
        return config.numUsers();
    }

    /** The number of ads; ad indices are {@code 0..numAds()-1}. */
    public int numAds() {
        return config.numAds();
    }

    /** The conversion type index of an ad. */
    public int conversionTypeOf(int ad) {
        return ads.type[ad];
    }

    /**
     * The ad's bid (models/README.md, Pricing): an ad of an unvalued type pays e^{b_i} per
     * conversion (oCPA); an ad of a valued type bids on value, paying {@value #VALUE_SHARE}·e^{b_i}
     * of the purchase amount. {@code ad_bid} in {@link #adFeatures} is e^{b_i} in both cases.
     */
    public Bid bidOf(int ad) {
        double bid = Math.exp(ads.logBid[ad]);
        return config.conversionTypes().get(ads.type[ad]).valued()
                ? new Bid(VALUE_SHARE * bid, true)
                : new Bid(bid, false);
    }

    /** The index of a scenario by name, or -1. */
    public int scenarioIndex(String name) {
        return spec.scenarios().indexOf(name);
    }

    /** The ground truth of showing {@code ad} to {@code user} in {@code scenario}. */
    public GroundTruth truth(int user, int ad, int scenario) {
        ScenarioSpec s = config.scenarios().get(scenario);
        ConversionTypeSpec t = config.conversionTypes().get(ads.type[ad]);
        double affinity = affinity(user, ad);
        double pClick = sigmoid(clickLogit(user, ad, s, affinity));
        double propensity = conversionPropensity(user, ad, s, t, affinity);
        double pConversion = sigmoid(t.bias() + propensity);
        RelatedActionSpec r = config.relatedAction();
        double pRelated =
                sigmoid(
                        r.bias()
                                + r.propensityWeight() * propensity
                                + r.activityWeight() * users.logActivity[user]);
        double expectedAmount = 0;
        if (t.valued()) {
            AmountSpec a = config.amount();
            expectedAmount =
                    Math.exp(amountLogMean(user, ad, affinity) + a.logSd() * a.logSd() / 2);
        }
        return new GroundTruth(pClick, pConversion, pRelated, expectedAmount);
    }

    /**
     * Logs {@code impressions} impressions chosen by the logging policy, with labels drawn from the
     * ground truth; deterministic in (world, {@code seed}).
     */
    public ImpressionLog generate(int impressions, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int nc = spec.categoricalCount();
        int nd = spec.denseCount();
        int[] categorical = new int[impressions * nc];
        float[] dense = new float[impressions * nd];
        int[] scenario = new int[impressions];
        int[] type = new int[impressions];
        int[] userId = new int[impressions];
        float[] click = new float[impressions];
        float[] conversion = new float[impressions];
        float[] related = new float[impressions];
        float[] amount = new float[impressions];
        for (int n = 0; n < impressions; n++) {
            int u = users.drawByActivity(rng);
            int s = drawScenario(rng);
            int ad = chooseAd(u, rng);
            Outcome outcome = drawOutcome(u, ad, s, rng);
            click[n] = outcome.click() ? 1 : 0;
            related[n] = outcome.relatedAction() ? 1 : 0;
            conversion[n] = outcome.conversion() ? 1 : 0;
            amount[n] = (float) outcome.amount();
            writeFeatures(u, ad, s, categorical, n * nc, dense, n * nd);
            scenario[n] = s;
            type[n] = ads.type[ad];
            userId[n] = u;
        }
        return new ImpressionLog(
                spec,
                impressions,
                categorical,
                dense,
                scenario,
                type,
                userId,
                click,
                conversion,
                related,
                amount);
    }

    /** Draws what {@code user} does with {@code ad} in {@code scenario}, from the ground truth. */
    Outcome drawOutcome(int user, int ad, int scenario, SplittableRandom rng) {
        GroundTruth truth = truth(user, ad, scenario);
        boolean click = rng.nextDouble() < truth.pClick();
        boolean related = false;
        boolean conversion = false;
        double amount = 0;
        if (click) {
            related = rng.nextDouble() < truth.pRelatedAction();
            conversion = rng.nextDouble() < truth.pConversion();
            if (conversion && config.conversionTypes().get(ads.type[ad]).valued()) {
                double mu = amountLogMean(user, ad, affinity(user, ad));
                amount = (float) Math.exp(mu + config.amount().logSd() * rng.nextGaussian());
            }
        }
        return new Outcome(click, conversion, related, amount);
    }

    /** Draws a user in proportion to activity (the traffic a live request comes from). */
    int drawUser(SplittableRandom rng) {
        return users.drawByActivity(rng);
    }

    /**
     * Logs training, validation and test impressions from seeds derived from the world seed ({@link
     * #splitSeed}), so the three never share an impression draw.
     */
    public Split splits(int train, int valid, int test) {
        long trainSeed = splitSeed(config.seed(), TRAIN_STREAM);
        long validSeed = splitSeed(config.seed(), VALID_STREAM);
        long testSeed = splitSeed(config.seed(), TEST_STREAM);
        return new Split(
                generate(train, trainSeed),
                generate(valid, validSeed),
                generate(test, testSeed),
                trainSeed,
                validSeed,
                testSeed);
    }

    /** The impression seed of stream {@code stream} of a world seed (SplitMix64 finaliser). */
    public static long splitSeed(long worldSeed, int stream) {
        long z = worldSeed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The raw features of a user, by the names {@link FeatureEncoder} reads. */
    public Map<String, Object> userFeatures(int user) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user_id", "u" + user);
        m.put("user_age", UserPopulation.AGE_BUCKETS.get(users.age[user]));
        m.put("user_gender", UserPopulation.GENDERS.get(users.gender[user]));
        m.put("user_city", users.city[user] + 1);
        m.put("user_activity", Math.exp(users.logActivity[user]));
        return m;
    }

    /** The raw features of an ad, by the names {@link FeatureEncoder} reads. */
    public Map<String, Object> adFeatures(int ad) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ad_id", "a" + ad);
        m.put("ad_category", "cat" + ads.category[ad]);
        m.put("ad_advertiser", "adv" + ads.advertiser[ad]);
        m.put("conversion_type", spec.conversionTypes().get(ads.type[ad]));
        m.put("ad_bid", Math.exp(ads.logBid[ad]));
        return m;
    }

    private void writeFeatures(
            int u, int ad, int s, int[] categorical, int c, float[] dense, int d) {
        categorical[c] = u + 1;
        categorical[c + 1] = users.age[u] + 1;
        categorical[c + 2] = users.gender[u] + 1;
        categorical[c + 3] = users.city[u] + 1;
        categorical[c + 4] = ad + 1;
        categorical[c + 5] = ads.category[ad] + 1;
        categorical[c + 6] = ads.advertiser[ad] + 1;
        categorical[c + 7] = s + 1;
        categorical[c + 8] = ads.type[ad] + 1;
        // through the encoder's own transform, so logged and served features are bit-identical
        dense[d] = FeatureEncoder.logOrZero(Math.exp(users.logActivity[u]));
        dense[d + 1] = FeatureEncoder.logOrZero(Math.exp(ads.logBid[ad]));
    }

    /** a(u, i) = p_u · q_i / √d, the shared affinity. */
    private double affinity(int user, int ad) {
        return dot(users.taste, user, ads.latent, ad) * affinityNorm;
    }

    private double clickLogit(int user, int ad, ScenarioSpec s, double affinity) {
        double interaction =
                ageCategory[users.age[user] * config.numCategories() + ads.category[ad]];
        return s.clickBias()
                + s.affinityScale() * affinity
                + ads.quality[ad]
                + s.interactionScale() * interaction
                + config.activityWeight() * users.logActivity[user];
    }

    /** The conversion logit without its type intercept c_t. */
    private double conversionPropensity(
            int user, int ad, ScenarioSpec s, ConversionTypeSpec t, double affinity) {
        double typeAffinity = dot(users.taste, user, ads.typeLatent, ad) * affinityNorm;
        return t.sharedWeight() * affinity
                + t.specificWeight() * typeAffinity
                + ads.conversionQuality[ad]
                + s.conversionShift()
                + t.wealthWeight() * users.wealth[user];
    }

    private double amountLogMean(int user, int ad, double affinity) {
        AmountSpec a = config.amount();
        return a.logMean()
                + ads.priceLevel[ad]
                + a.wealthWeight() * users.wealth[user]
                + a.affinityWeight() * affinity;
    }

    /** Draws a scenario by traffic share. */
    int drawScenario(SplittableRandom rng) {
        double x = rng.nextDouble() * scenarioCdf[scenarioCdf.length - 1];
        for (int s = 0; s < scenarioCdf.length - 1; s++) {
            if (x < scenarioCdf[s]) {
                return s;
            }
        }
        return scenarioCdf.length - 1;
    }

    /**
     * The logging policy: softmax over uniformly drawn candidates (see {@link LoggingPolicySpec}).
     */
    private int chooseAd(int user, SplittableRandom rng) {
        LoggingPolicySpec policy = config.loggingPolicy();
        int k = policy.candidates();
        int chosen = rng.nextInt(ads.size);
        if (k == 1) {
            return chosen;
        }
        // streaming softmax sample (Gumbel-free): keep candidate j with probability w_j / Σ w
        double total = 0;
        for (int j = 0; j < k; j++) {
            int ad = j == 0 ? chosen : rng.nextInt(ads.size);
            double w =
                    Math.exp(
                            policy.qualityWeight() * ads.quality[ad]
                                    + policy.affinityWeight() * affinity(user, ad));
            total += w;
            if (j == 0 || rng.nextDouble() * total < w) {
                chosen = ad;
            }
        }
        return chosen;
    }

    private double dot(double[] a, int row, double[] b, int bRow) {
        int dim = config.latentDim();
        double sum = 0;
        for (int j = 0; j < dim; j++) {
            sum += a[row * dim + j] * b[bRow * dim + j];
        }
        return sum;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
