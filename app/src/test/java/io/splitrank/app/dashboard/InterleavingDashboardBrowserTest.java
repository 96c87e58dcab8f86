package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlContains;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * An interleaving experiment on the dashboard, in a real headless Chromium: the form creates one
 * (type sent, no weights), and its page shows the winner at a glance, each pair's preferences per
 * metric and each arm's credits exactly as the report has them.
 */
class InterleavingDashboardBrowserTest extends DashboardBrowserSupport {
    @Test
    void formCreatesAnInterleavingExperimentWithoutWeights() throws Exception {
        driver.get(url("/experiments/new"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        // an A/B test unless told otherwise
        assertThat(driver.findElement(By.id("type-ab")).isSelected()).isTrue();
        assertThat(driver.findElement(By.id("interleaving-arms-hint")).isDisplayed()).isFalse();
        driver.findElement(By.id("key")).sendKeys("form-interleaving");
        driver.findElement(By.id("name")).sendKeys("Interleaved from the form");

        driver.findElement(By.id("type-interleaving")).click();
        assertThat(driver.findElement(By.id("interleaving-arms-hint")).getText())
                .contains("two or more arms");
        assertThat(driver.findElement(By.id("interleaving-arms-hint")).isDisplayed()).isTrue();
        // an interleaving experiment's weights are not used: they cannot be set
        assertThat(
                        driver
                                .findElements(By.cssSelector("#arms-table input[name=armWeight]"))
                                .stream()
                                .map(WebElement::isEnabled))
                .containsExactly(false, false);
        driver.findElement(By.id("add-arm")).click();
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "tr.arm-row[data-index='2'] input[name=armWeight]"))
                                .isEnabled())
                .isFalse();
        driver.findElement(By.cssSelector("tr.arm-row[data-index='2'] .remove-arm")).click();
        chromium.screenshot("create-form-interleaving");
        driver.findElement(By.id("create")).click();

        wait.until(urlContains("/experiments/form-interleaving"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(
                        driver.findElement(By.cssSelector("#type .type-badge"))
                                .getAttribute("data-type"))
                .isEqualTo("interleaving");
        assertThat(driver.findElement(By.cssSelector("#type .type-badge")).getText())
                .isEqualToIgnoringCase("Interleaving");
        // a draft has no results yet, and no A/B tables
        wait.until(visibilityOfElementLocated(By.id("no-data")));
        assertThat(driver.findElements(By.cssSelector("details.metric-block"))).isEmpty();

        JsonNode created = json.readTree(get("/api/v1/experiments/form-interleaving"));
        assertThat(created.path("type").asString()).isEqualTo("interleaving");
        assertThat(created.path("arms").path(0).path("model").asString()).isEqualTo("baseline");
        assertThat(created.path("arms").path(1).path("model").asString()).isEqualTo("ektm");
        assertThat(created.path("arms").path(0).path("weight").asDouble()).isEqualTo(0.5);
        // no draft is left behind for the list test's draft filter
        post("/api/v1/experiments/form-interleaving/archive");
    }

    @Test
    void interleavingExperimentShowsItsWinnerAndEachPairsPreferencesAsTheReportHasThem()
            throws Exception {
        createByApi(
                """
                {"key": "interleave-page", "name": "EKTM interleaved with the baseline", "type": "interleaving",
                 "arms": [{"key": "baseline", "model": "baseline"}, {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/interleave-page/start");
        // 80 units are shown a merged list each, and its top 4; 70 click the first ektm item they
        // saw, 10 the first baseline one; every fourth unit buys what it clicked, for 10
        Marketplace world = new Marketplace(MarketplaceConfig.defaults());
        List<Map<String, Object>> events = new ArrayList<>();
        for (int u = 0; u < 80; u++) {
            String unit = "interleave-page-u" + u;
            Map<String, Object> attributes = new LinkedHashMap<>(world.userFeatures(u));
            attributes.put("userId", unit);
            attributes.put("scenario", "search");
            List<Map<String, Object>> candidates = new ArrayList<>();
            for (int ad = 0; ad < 10; ad++) {
                Bid bid = world.bidOf(ad);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("itemId", "a" + ad);
                c.put("bid", bid.amount());
                c.put("bidType", bid.onValue() ? "value" : "cpa");
                c.put("conversionType", world.adFeatures(ad).get("conversion_type"));
                c.put("features", world.adFeatures(ad));
                candidates.add(c);
            }
            JsonNode answer =
                    json.readTree(
                            postJson(
                                    "/api/v1/rank",
                                    json.writeValueAsString(
                                            Map.of(
                                                    "experiment",
                                                    "interleave-page",
                                                    "attributes",
                                                    attributes,
                                                    "candidates",
                                                    candidates))));
            String rankingId = answer.path("rankingId").asString();
            JsonNode items = answer.path("items");
            String favoured = u < 70 ? "ektm" : "baseline";
            String clicked = null;
            for (int p = 0; p < 4; p++) {
                String item = items.get(p).path("itemId").asString();
                events.add(itemEvent(unit + "-imp-" + p, "impression", unit, item, rankingId));
                if (clicked == null && items.get(p).path("arm").asString().equals(favoured)) {
                    clicked = item;
                }
            }
            assertThat(clicked).as("a %s item in the top 4 of %s", favoured, unit).isNotNull();
            events.add(itemEvent(unit + "-click", "click", unit, clicked, rankingId));
            if (u % 4 == 0) {
                Map<String, Object> purchase =
                        itemEvent(unit + "-conv", "conversion", unit, clicked, rankingId);
                purchase.put("conversionType", "purchase");
                purchase.put("value", 10);
                events.add(purchase);
            }
        }
        // batches of 100: the test profile takes bodies of up to 64 KiB
        for (int from = 0; from < events.size(); from += 100) {
            postJson(
                    "/api/v1/events",
                    json.writeValueAsString(
                            Map.of(
                                    "events",
                                    events.subList(from, Math.min(events.size(), from + 100)))));
        }
        JsonNode[] reported = new JsonNode[1];
        new WebDriverWait(driver, Duration.ofSeconds(40))
                .until(
                        d -> {
                            try {
                                reported[0] =
                                        json.readTree(
                                                get("/api/v1/experiments/interleave-page/report"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            return reported[0]
                                    .path("interleaving")
                                    .path("winner")
                                    .asString("")
                                    .equals("ektm");
                        });
        JsonNode section = reported[0].path("interleaving");
        assertThat(section.path("units").asLong()).isEqualTo(80);
        JsonNode clicksPair = section.path("preferences").path(0).path("pairs").path(0);
        assertThat(clicksPair.path("winsB").asLong()).isEqualTo(70);
        assertThat(clicksPair.path("winsA").asLong()).isEqualTo(10);
        JsonNode valuePair = section.path("preferences").path(1).path("pairs").path(0);
        assertThat(valuePair.path("winsB").asLong()).isEqualTo(18);
        assertThat(valuePair.path("winsA").asLong()).isEqualTo(2);

        driver.get(url("/experiments/interleave-page"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.id("interleaving-winner"), "data-winner", "ektm"));
        assertThat(textOf("#type .type-badge")).isEqualToIgnoringCase("Interleaving");
        assertThat(textOf("#winner-text")).isEqualTo("ektm wins over baseline on clicks");
        assertThat(textOf("#interleaving-winner li[data-other='baseline']"))
                .isEqualTo(
                        "over baseline: preferred by 70 of 80 units with a preference"
                                + " (always-valid p = "
                                + pValueText(clicksPair.path("sequentialPValue").asDouble())
                                + ")");
        assertThat(textOf("#interleaving-units")).isEqualTo("80");
        // the interleaving section instead of the A/B metric tables
        assertThat(driver.findElements(By.cssSelector("details.metric-block"))).isEmpty();
        assertThat(driver.findElements(By.id("no-data"))).isEmpty();

        // every pair of every metric as the report has it
        List<String> metrics = new ArrayList<>();
        for (JsonNode metric : section.path("preferences")) {
            String m = metric.path("metric").asString();
            metrics.add(m);
            for (JsonNode pair : metric.path("pairs")) {
                String row =
                        "section.pair-block[data-metric='%s'] tr.pair-row[data-a='%s'][data-b='%s'] "
                                .formatted(m, pair.path("a").asString(), pair.path("b").asString());
                assertThat(textOf(row + ".pair-units"))
                        .as(m)
                        .isEqualTo(
                                pair.path("unitsWithPreference").asLong()
                                        + "\nof "
                                        + pair.path("units").asLong());
                assertThat(textOf(row + ".wins-a"))
                        .as(m)
                        .isEqualTo(pair.path("winsA").asLong() + "\nbaseline");
                assertThat(textOf(row + ".wins-b"))
                        .as(m)
                        .isEqualTo(pair.path("winsB").asLong() + "\nektm");
                assertThat(textOf(row + ".ties"))
                        .as(m)
                        .isEqualTo(Long.toString(pair.path("ties").asLong()));
                assertThat(textOf(row + ".preference .lift"))
                        .as(m)
                        .isEqualTo(signedText(pair.path("preference").asDouble()));
                assertThat(textOf(row + ".preference .fixed-ci"))
                        .as(m)
                        .isEqualTo(intervalText(pair.path("ci")));
                assertThat(textOf(row + ".preference .seq-ci"))
                        .as(m)
                        .isEqualTo("seq. " + intervalText(pair.path("sequentialCi")));
                assertThat(textOf(row + ".p-sign"))
                        .as(m)
                        .isEqualTo(pValueText(pair.path("pValue").asDouble()));
                assertThat(textOf(row + ".p-seq"))
                        .as(m)
                        .isEqualTo(pValueText(pair.path("sequentialPValue").asDouble()));
            }
        }
        assertThat(metrics).containsExactly("clicks", "value");
        assertThat(textOf("section.pair-block[data-metric='clicks'] tr.pair-row .sig"))
                .isEqualTo("ektm preferred");
        assertThat(signedText(clicksPair.path("preference").asDouble())).isEqualTo("+0.7500");

        // what each arm's items earned
        for (JsonNode arm : section.path("arms")) {
            String row =
                    "#interleaving-arms tr[data-arm='%s'] ".formatted(arm.path("arm").asString());
            assertThat(textOf(row + ".clicks"))
                    .isEqualTo(Long.toString(arm.path("clicks").asLong()));
            assertThat(textOf(row + ".conversions"))
                    .isEqualTo(Long.toString(arm.path("conversions").asLong()));
            assertThat(textOf(row + ".value")).isEqualTo(numberText(arm.path("value").asDouble()));
        }
        assertThat(textOf("#interleaving-arms tr[data-arm='ektm'] .clicks")).isEqualTo("70");
        assertThat(textOf("#interleaving-arms tr[data-arm='ektm'] .value")).isEqualTo("180");
        assertThat(textOf("#interleaving-arms tr[data-arm='baseline'] .conversions"))
                .isEqualTo("2");
        chromium.screenshot("experiment-interleaving");

        // the list: the type's badge and the winner
        driver.get(url("/"));
        wait.until(
                visibilityOfElementLocated(
                        By.cssSelector("#experiments tr[data-key='interleave-page']")));
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#experiments tr[data-key='interleave-page'] .type-badge"))
                                .getAttribute("data-type"))
                .isEqualTo("interleaving");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#experiments tr[data-key='interleave-page'] td.summary"))
                                .getAttribute("data-winner"))
                .isEqualTo("ektm");
    }

    /** An item's event of an interleaving experiment, naming the merged list it was on. */
    private static Map<String, Object> itemEvent(
            String id, String type, String unit, String item, String rankingId) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", id);
        e.put("type", type);
        e.put("unitId", unit);
        e.put("timestamp", Instant.now().toString());
        e.put("scenario", "search");
        e.put("itemId", item);
        e.put("rankingId", rankingId);
        return e;
    }

    /** A p-value as js/format.js prints it. */
    private static String pValueText(double p) {
        if (p < 0.0001) {
            return "< 0.0001";
        }
        return new BigDecimal(p).setScale(p < 0.01 ? 4 : 3, RoundingMode.HALF_UP).toPlainString();
    }

    /** A number as js/format.js prints it (about four significant digits). */
    private static String numberText(double x) {
        if (x == Math.rint(x)) {
            return String.format(Locale.US, "%,d", (long) x);
        }
        double a = Math.abs(x);
        int digits = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 1 ? 3 : a >= 0.01 ? 4 : 5;
        DecimalFormat format =
                new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.US));
        format.setMinimumFractionDigits(digits);
        format.setMaximumFractionDigits(digits);
        format.setRoundingMode(RoundingMode.HALF_UP);
        return format.format(x);
    }

    /** A signed difference as js/format.js prints it: "+0.7500", "−0.1200". */
    private static String signedText(double x) {
        return (x > 0 ? "+" : x < 0 ? "\u2212" : "") + numberText(Math.abs(x));
    }

    private static String intervalText(JsonNode ci) {
        return "["
                + signedText(ci.path(0).asDouble())
                + ", "
                + signedText(ci.path(1).asDouble())
                + "]";
    }
}
