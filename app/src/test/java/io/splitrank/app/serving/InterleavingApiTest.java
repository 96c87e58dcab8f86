package io.splitrank.app.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.AttributionAggregator;
import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An interleaving experiment end to end over the API: rank merges the arms' rankings (every item
 * from some arm, no duplicate, each credited to an arm, the same list for a replayed request),
 * clicks are credited by ranking id or by the unit's latest list holding the item, clicks on items
 * the unit was never shown are not, and clicks that favour one arm's items make it win.
 */
@PlatformTest
class InterleavingApiTest {

    private static final Marketplace WORLD = new Marketplace(MarketplaceConfig.defaults());

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired AttributionAggregator aggregator;
    ApiClient api;
    final String prefix = "il-" + UUID.randomUUID() + "-";
    long nextEvent;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private String request(String experiment, String unit, int user, int n) {
        Map<String, Object> attributes = new LinkedHashMap<>(WORLD.userFeatures(user));
        attributes.put("userId", unit);
        attributes.put("scenario", "search");
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int ad = 0; ad < n; ad++) {
            Bid bid = WORLD.bidOf(ad);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("itemId", "a" + ad);
            c.put("bid", bid.amount());
            c.put("bidType", bid.onValue() ? "value" : "cpa");
            c.put("conversionType", WORLD.adFeatures(ad).get("conversion_type"));
            c.put("features", WORLD.adFeatures(ad));
            candidates.add(c);
        }
        return json.writeValueAsString(
                Map.of(
                        "experiment",
                        experiment,
                        "attributes",
                        attributes,
                        "candidates",
                        candidates));
    }

    private JsonNode rank(String body) throws Exception {
        return json.readTree(
                api.post("/api/v1/rank", body)
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
    }

    private Map<String, Object> event(
            String type, String unit, String item, String rankingId, Integer position) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", prefix + (nextEvent++));
        e.put("type", type);
        e.put("unitId", unit);
        e.put("timestamp", Instant.now().plusMillis(5).truncatedTo(ChronoUnit.MILLIS).toString());
        e.put("scenario", "search");
        e.put("itemId", item);
        if (rankingId != null) {
            e.put("rankingId", rankingId);
        }
        if (position != null) {
            e.put("position", position);
        }
        return e;
    }

    @Test
    void clicksOnOneArmsItemsMakeItWinAndAreCreditedOnlyForItemsTheUnitSaw() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                        {"key": "interleave-e2e", "type": "interleaving", "arms": [
                          {"key": "control", "model": "baseline"},
                          {"key": "ektm", "model": "ektm"}]}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.type").value("interleaving"));
        api.post("/api/v1/experiments/interleave-e2e/start").andExpect(status().isOk());

        int units = 120;
        long expectedEktmClicks = 0;
        long expectedControlClicks = 0;
        List<Map<String, Object>> events = new ArrayList<>();
        for (int u = 0; u < units; u++) {
            String unit = prefix + "u" + u;
            String body = request("interleave-e2e", unit, u, 20);
            JsonNode answer = rank(body);
            assertThat(answer.path("inExperiment").asBoolean()).isTrue();
            String rankingId = answer.path("rankingId").asString();
            JsonNode items = answer.path("items");
            assertThat(items).hasSize(20);
            Set<String> ids = new HashSet<>();
            for (JsonNode item : items) {
                assertThat(ids.add(item.path("itemId").asString())).isTrue();
                assertThat(item.path("arm").asString()).isIn("control", "ektm");
            }
            if (u < 3) {
                // a replayed request gets the same merged list, with the same credits
                JsonNode again = rank(body);
                assertThat(again.path("items")).isEqualTo(items);
            }
            // the unit sees the top 4; 100 of 120 units click the first ektm item they saw, the
            // others the first control item; half the clicks carry the ranking id
            for (int p = 0; p < 4; p++) {
                events.add(
                        event(
                                "impression",
                                unit,
                                items.get(p).path("itemId").asString(),
                                rankingId,
                                p + 1));
            }
            String favoured = u < 100 ? "ektm" : "control";
            for (int p = 0; p < 4; p++) {
                if (items.get(p).path("arm").asString().equals(favoured)) {
                    events.add(
                            event(
                                    "click",
                                    unit,
                                    items.get(p).path("itemId").asString(),
                                    u % 2 == 0 ? rankingId : null,
                                    p + 1));
                    if (favoured.equals("ektm")) {
                        expectedEktmClicks++;
                    } else {
                        expectedControlClicks++;
                    }
                    break;
                }
            }
            // a click on an item the unit was never shown is not credited
            events.add(
                    event("click", unit, items.get(15).path("itemId").asString(), rankingId, 16));
            // nor is one without a ranking id, found in the unit's latest list but never shown
            events.add(event("click", unit, items.get(14).path("itemId").asString(), null, null));
        }
        for (int from = 0; from < events.size(); from += 150) {
            api.post(
                            "/api/v1/events",
                            json.writeValueAsString(
                                    Map.of(
                                            "events",
                                            events.subList(
                                                    from, Math.min(events.size(), from + 150)))))
                    .andExpect(status().isOk());
        }
        aggregator.processNow();

        JsonNode report =
                json.readTree(
                        api.get("/api/v1/experiments/interleave-e2e/report")
                                .andExpect(status().isOk())
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        JsonNode section = report.path("interleaving");
        assertThat(section.path("units").asLong()).isEqualTo(units);
        JsonNode control = section.path("arms").get(0);
        JsonNode ektm = section.path("arms").get(1);
        assertThat(control.path("clicks").asLong()).isEqualTo(expectedControlClicks);
        assertThat(ektm.path("clicks").asLong()).isEqualTo(expectedEktmClicks);

        JsonNode clicks = section.path("preferences").get(0);
        assertThat(clicks.path("metric").asString()).isEqualTo("clicks");
        JsonNode pair = clicks.path("pairs").get(0);
        assertThat(pair.path("a").asString()).isEqualTo("control");
        assertThat(pair.path("b").asString()).isEqualTo("ektm");
        assertThat(pair.path("winsB").asLong()).isEqualTo(expectedEktmClicks);
        assertThat(pair.path("winsA").asLong()).isEqualTo(expectedControlClicks);
        assertThat(pair.path("ties").asLong())
                .isEqualTo(units - expectedEktmClicks - expectedControlClicks);
        long m = expectedEktmClicks + expectedControlClicks;
        assertThat(pair.path("preference").asDouble())
                .isCloseTo(
                        (double) (expectedEktmClicks - expectedControlClicks) / m,
                        org.assertj.core.data.Offset.offset(1e-12));
        assertThat(pair.path("pValue").asDouble()).isLessThan(1e-4);
        assertThat(pair.path("sequentialPValue").asDouble()).isLessThan(0.05);
        assertThat(section.path("winner").asString()).isEqualTo("ektm");
        assertThat(report.path("decision").path("outcome").asString()).isEqualTo("ship");
        assertThat(report.path("decision").path("arm").asString()).isEqualTo("ektm");
    }
}
