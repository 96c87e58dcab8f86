package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

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
                assertThat(outcome.conversion() || outcome.relatedAction() || outcome.amount() > 0).isFalse();
            }
        }
        assertThat(Math.abs(clicks - expected)).isLessThan(4 * Math.sqrt(variance));
    }

    @Test
    void requestsCarryRawUserFeaturesTheEncoderUnderstands() {
        LiveTraffic.Request request = new LiveTraffic(WORLD, 1L).nextRequest();
        EncodedFeatures encoded = WORLD.encoder().encode(request.userFeatures(), WORLD.adFeatures(0),
                request.scenarioName());
        assertThat(encoded.categorical()[0]).isEqualTo(request.user() + 1);
        assertThat(encoded.scenario()).isEqualTo(request.scenario());
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
