package io.splitrank.models.marketplace;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The marketplace's users: observed demographics and activity, and the hidden taste vector and
 * wealth that drive their behaviour. Package-private: the rest of the project sees users only
 * through {@link Marketplace}. See models/README.md for the distributions.
 */
final class UserPopulation {

    /** Age bucket labels; a bucket's index + 1 is its categorical id. */
    static final List<String> AGE_BUCKETS =
            List.of("18-24", "25-34", "35-44", "45-54", "55-64", "65+");

    static final double[] AGE_SHARES = {0.12, 0.26, 0.24, 0.18, 0.12, 0.08};

    /** Gender labels; index + 1 is the categorical id. */
    static final List<String> GENDERS = List.of("female", "male");

    /** City tiers 1..4 (tier 1 = largest cities); index + 1 is the tier and the categorical id. */
    static final int CITY_TIERS = 4;

    static final double[] CITY_SHARES = {0.15, 0.30, 0.30, 0.25};

    static final double ACTIVITY_LOG_SD = 0.8;
    static final double AGE_TASTE_SD = Math.sqrt(0.3);
    static final double GENDER_TASTE_SD = Math.sqrt(0.1);
    static final double OWN_TASTE_SD = Math.sqrt(0.6);
    static final double WEALTH_INTERCEPT = 0.3;
    static final double WEALTH_PER_TIER = -0.2;
    static final double WEALTH_SD = 0.3;

    final int size;
    final int dim;
    final int[] age;
    final int[] gender;
    final int[] city;
    final double[] logActivity;
    final double[] wealth;

    /** Row-major {@code size × dim} taste vectors p_u. */
    final double[] taste;

    /**
     * Cumulative activity weights exp(logActivity), for drawing users in proportion to activity.
     */
    final double[] activityCdf;

    UserPopulation(int size, int dim, SplittableRandom rng) {
        this.size = size;
        this.dim = dim;
        double[] ageTaste = gaussians(rng, AGE_BUCKETS.size() * dim, AGE_TASTE_SD);
        double[] genderTaste = gaussians(rng, GENDERS.size() * dim, GENDER_TASTE_SD);
        age = new int[size];
        gender = new int[size];
        city = new int[size];
        logActivity = new double[size];
        wealth = new double[size];
        taste = new double[size * dim];
        activityCdf = new double[size];
        double total = 0;
        for (int u = 0; u < size; u++) {
            age[u] = draw(rng, AGE_SHARES);
            gender[u] = rng.nextInt(GENDERS.size());
            city[u] = draw(rng, CITY_SHARES);
            logActivity[u] = ACTIVITY_LOG_SD * rng.nextGaussian();
            wealth[u] =
                    WEALTH_INTERCEPT + WEALTH_PER_TIER * city[u] + WEALTH_SD * rng.nextGaussian();
            for (int j = 0; j < dim; j++) {
                taste[u * dim + j] =
                        ageTaste[age[u] * dim + j]
                                + genderTaste[gender[u] * dim + j]
                                + OWN_TASTE_SD * rng.nextGaussian();
            }
            total += Math.exp(logActivity[u]);
            activityCdf[u] = total;
        }
    }

    /** Draws a user with probability proportional to its activity. */
    int drawByActivity(SplittableRandom rng) {
        double x = rng.nextDouble() * activityCdf[size - 1];
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (activityCdf[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static double[] gaussians(SplittableRandom rng, int n, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = sd * rng.nextGaussian();
        }
        return out;
    }

    /** Draws an index with probability proportional to {@code weights}. */
    static int draw(SplittableRandom rng, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rng.nextDouble() * total;
        for (int i = 0; i < weights.length - 1; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
