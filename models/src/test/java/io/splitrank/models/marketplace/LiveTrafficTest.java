package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LiveTrafficTest {

    private static final Marketplace WORLD =
            new Marketplace(MarketplaceConfig.defaults().withNumUsers(1_000).withNumAds(200));

    @Test
    void theSameSeedGivesTheSameRequestsAndResponses() {
        assertThat(run(new LiveTraffic(WORLD, 4L))).isEqualTo(run(new LiveTraffic(WORLD, 4L)));
        assertThat(run(new LiveTraffic(WORLD, 4L))).isNotEqualTo(run(new LiveTraffic(WORLD, 5L)));
    }

    @Test
    void responsesFollowTheGroundTruthWithinFourStandardErrors() {
        // cycle through the ads: each response is a Bernoulli draw with the true pClick
        LiveTraffic traffic = new LiveTraffic(WORLD, 9L);
        double expected = 0;
        double variance = 0;
        int clicks = 0;
        for (int n = 0; n < 40_000; n++) {
            LiveTraffic.Request request = traffic.nextRequest();
            int ad = n % WORLD.numAds();
            double p = WORLD.truth(request.user(), ad, request.scenario()).pClick();
            expected += p;
            variance += p * (1 - p);
            Outcome outcome = traffic.respond(request, ad);
            clicks += outcome.click() ? 1 : 0;
            if (!outcome.click()) {
                assertThat(outcome.conversion() || outcome.relatedAction() || outcome.amount() > 0)
                        .isFalse();
            }
        }
        assertThat(Math.abs(clicks - expected)).isLessThan(4 * Math.sqrt(variance));
    }

    @Test
    void requestsCarryRawUserFeaturesTheEncoderUnderstands() {
        LiveTraffic.Request request = new LiveTraffic(WORLD, 1L).nextRequest();
        EncodedFeatures encoded =
                WORLD.encoder()
                        .encode(
                                request.userFeatures(),
                                WORLD.adFeatures(0),
                                request.scenarioName());
        assertThat(encoded.categorical()[0]).isEqualTo(request.user() + 1);
        assertThat(encoded.scenario()).isEqualTo(request.scenario());
    }

    @Test
    void candidatesAreDistinctAdsCoveringTheCatalogueUniformly() {
        LiveTraffic traffic = new LiveTraffic(WORLD, 3L);
        int[] seen = new int[WORLD.numAds()];
        int draws = 4_000;
        for (int n = 0; n < draws; n++) {
            int[] candidates = traffic.drawCandidates(10);
            assertThat(candidates).hasSize(10).doesNotHaveDuplicates();
            for (int ad : candidates) {
                assertThat(ad).isBetween(0, WORLD.numAds() - 1);
                seen[ad]++;
            }
        }
        // each ad is a candidate with probability 10/200 per draw: 200 expected, sd about 13.8
        double expected = draws * 10.0 / WORLD.numAds();
        double sd = Math.sqrt(draws * 0.05 * 0.95);
        for (int count : seen) {
            assertThat(Math.abs(count - expected)).isLessThan(5 * sd);
        }
        assertThat(traffic.drawCandidates(WORLD.numAds()))
                .hasSize(WORLD.numAds())
                .doesNotHaveDuplicates();
    }

    @Test
    void valuedAdsBidOnValueAndTheChargeMatchesTheExpectedRevenueOnAverage() {
        int valued = 0;
        for (int ad = 0; ad < WORLD.numAds(); ad++) {
            Bid bid = WORLD.bidOf(ad);
            double adBid = ((Number) WORLD.adFeatures(ad).get("ad_bid")).doubleValue();
            boolean purchase = WORLD.adFeatures(ad).get("conversion_type").equals("purchase");
            assertThat(bid.onValue()).isEqualTo(purchase);
            assertThat(bid.amount())
                    .isCloseTo(purchase ? Marketplace.VALUE_SHARE * adBid : adBid, offset(1e-12));
            valued += purchase ? 1 : 0;
        }
        assertThat(valued).isPositive();
        // the mean charge of many draws for one (user, ad) meets Bid.expectedRevenue of the ground
        // truth
        LiveTraffic traffic = new LiveTraffic(WORLD, 11L);
        for (int ad : new int[] {firstAd(true), firstAd(false)}) {
            LiveTraffic.Request request = traffic.nextRequest();
            GroundTruth truth = WORLD.truth(request.user(), ad, request.scenario());
            Bid bid = WORLD.bidOf(ad);
            double expected =
                    bid.expectedRevenue(
                            truth.pClick(), truth.pConversion(), truth.expectedAmount());
            // 2M draws of a rare event: the sample mean is within 5 standard errors
            int n = 2_000_000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double charge = bid.charge(traffic.respond(request, ad));
                sum += charge;
                sumSq += charge * charge;
            }
            double mean = sum / n;
            double se = Math.sqrt((sumSq / n - mean * mean) / n);
            assertThat(expected).isPositive();
            assertThat(Math.abs(mean - expected)).isLessThan(5 * se);
        }
    }

    @Test
    void aBidMustBeFiniteAndNotNegative() {
        assertThatThrownBy(() -> new Bid(-1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bid(Double.NaN, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Bid(Double.POSITIVE_INFINITY, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Bid(2, false).charge(new Outcome(true, false, false, 0))).isZero();
        assertThat(new Bid(2, false).charge(new Outcome(true, true, false, 0))).isEqualTo(2);
        assertThat(new Bid(0.05, true).charge(new Outcome(true, true, false, 80)))
                .isCloseTo(4, offset(1e-12));
    }

    private static int firstAd(boolean valued) {
        for (int ad = 0; ad < WORLD.numAds(); ad++) {
            if (WORLD.bidOf(ad).onValue() == valued) {
                return ad;
            }
        }
        throw new AssertionError("no ad with onValue " + valued);
    }

    private static List<Object> run(LiveTraffic traffic) {
        List<Object> events = new ArrayList<>();
        for (int n = 0; n < 2_000; n++) {
            LiveTraffic.Request request = traffic.nextRequest();
            events.add(request.user());
            events.add(request.scenario());
            events.add(traffic.respond(request, n % WORLD.numAds()));
        }
        return events;
    }
}
