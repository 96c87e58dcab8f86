package io.splitrank.models.marketplace;

import java.util.SplittableRandom;

/**
 * The marketplace's ads: observed category, advertiser, conversion type and bid, and the hidden
 * latent vector and quality effects. Package-private; see models/README.md for the distributions.
 */
final class AdCatalogue {

    static final double CATEGORY_LATENT_SD = Math.sqrt(0.4);
    static final double ADVERTISER_LATENT_SD = Math.sqrt(0.2);
    static final double OWN_LATENT_SD = Math.sqrt(0.4);
    static final double HOME_CATEGORY_PROBABILITY = 0.8;
    static final double ADVERTISER_QUALITY_SD = 0.3;
    static final double OWN_QUALITY_SD = 0.4;
    static final double CONVERSION_QUALITY_SD = 0.3;
    static final double CATEGORY_PRICE_SD = 0.5;
    static final double OWN_PRICE_SD = 0.3;
    static final double BID_PRICE_WEIGHT = 0.5;
    static final double BID_QUALITY_WEIGHT = 0.3;
    static final double BID_NOISE_SD = 0.3;

    final int size;
    final int dim;
    final int[] category;
    final int[] advertiser;
    final int[] type;
    final double[] logBid;

    /** η_i, the click quality. */
    final double[] quality;

    /** θ_i, the conversion quality shared by all tasks after the click. */
    final double[] conversionQuality;

    /** π_i, the ad's price level (log scale). */
    final double[] priceLevel;

    /** Row-major {@code size × dim} latent vectors q_i. */
    final double[] latent;

    /** Row-major {@code size × dim} type-specific vectors R_t q_i, t the ad's own type. */
    final double[] typeLatent;

    AdCatalogue(MarketplaceConfig config, SplittableRandom rng) {
        size = config.numAds();
        dim = config.latentDim();
        int categories = config.numCategories();
        int advertisers = config.numAdvertisers();
        int types = config.conversionTypes().size();
        double[] typeShares = new double[types];
        for (int t = 0; t < types; t++) {
            typeShares[t] = config.conversionTypes().get(t).advertiserShare();
        }
        double[] categoryLatent =
                UserPopulation.gaussians(rng, categories * dim, CATEGORY_LATENT_SD);
        double[] categoryPrice = UserPopulation.gaussians(rng, categories, CATEGORY_PRICE_SD);
        // R_t: one random d×d projection per type, entries N(0, 1/d), so p·R_t q is nearly
        // uncorrelated with the shared affinity p·q
        double[] projection = UserPopulation.gaussians(rng, types * dim * dim, 1 / Math.sqrt(dim));
        int[] homeCategory = new int[advertisers];
        int[] advertiserType = new int[advertisers];
        double[] advertiserLatent = new double[advertisers * dim];
        double[] advertiserQuality = new double[advertisers];
        for (int v = 0; v < advertisers; v++) {
            homeCategory[v] = rng.nextInt(categories);
            advertiserType[v] = UserPopulation.draw(rng, typeShares);
            for (int j = 0; j < dim; j++) {
                advertiserLatent[v * dim + j] = ADVERTISER_LATENT_SD * rng.nextGaussian();
            }
            advertiserQuality[v] = ADVERTISER_QUALITY_SD * rng.nextGaussian();
        }
        category = new int[size];
        advertiser = new int[size];
        type = new int[size];
        logBid = new double[size];
        quality = new double[size];
        conversionQuality = new double[size];
        priceLevel = new double[size];
        latent = new double[size * dim];
        typeLatent = new double[size * dim];
        for (int i = 0; i < size; i++) {
            int v = rng.nextInt(advertisers);
            advertiser[i] = v;
            type[i] = advertiserType[v];
            category[i] =
                    rng.nextDouble() < HOME_CATEGORY_PROBABILITY
                            ? homeCategory[v]
                            : rng.nextInt(categories);
            for (int j = 0; j < dim; j++) {
                latent[i * dim + j] =
                        categoryLatent[category[i] * dim + j]
                                + advertiserLatent[v * dim + j]
                                + OWN_LATENT_SD * rng.nextGaussian();
            }
            quality[i] = advertiserQuality[v] + OWN_QUALITY_SD * rng.nextGaussian();
            conversionQuality[i] = CONVERSION_QUALITY_SD * rng.nextGaussian();
            priceLevel[i] = categoryPrice[category[i]] + OWN_PRICE_SD * rng.nextGaussian();
            logBid[i] =
                    BID_PRICE_WEIGHT * priceLevel[i]
                            + BID_QUALITY_WEIGHT * quality[i]
                            + BID_NOISE_SD * rng.nextGaussian();
            int base = type[i] * dim * dim;
            for (int r = 0; r < dim; r++) {
                double sum = 0;
                for (int c = 0; c < dim; c++) {
                    sum += projection[base + r * dim + c] * latent[i * dim + c];
                }
                typeLatent[i * dim + r] = sum;
            }
        }
    }
}
