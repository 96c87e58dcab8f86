package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An experiment's results on the dashboard, in a real headless Chromium: the results panel fed with
 * a fixture report and updating live as events arrive, the decision and scorecard of a real report
 * with its scenario selector, a ramp plan advanced and one rolled back by the platform, and a
 * stopped experiment's final results.
 */
class ResultsDashboardBrowserTest extends DashboardBrowserSupport {
    @Test
    void resultsPanelRendersAFixtureReportWithIntervalsAndTheSrmWarning() throws Exception {
        createByApi(
                """
                {"key": "fixture-report", "name": "EKTM and HTLNet vs baseline",
                 "hypothesis": "Multi-task rankers lift eCPM on the home feed.",
                 "arms": [{"key": "control", "model": "baseline", "weight": 0.34}, {"key": "ektm", "model": "ektm",
                 "weight": 0.33}, {"key": "htlnet", "model": "htlnet", "weight": 0.33}],
                 "metrics": {"primary": "ecpm", "secondary": ["ctr", "cvr:purchase", "value_per_unit"],
                 "guardrails": ["impressions_per_unit"]}}""");
        post("/api/v1/experiments/fixture-report/start");
        String fixture;
        try (var in = getClass().getResourceAsStream("/dashboard/report-fixture.json")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        driver.get(url("/experiments/fixture-report"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(visibilityOfElementLocated(By.id("no-data")));

        // the renderer on its own, outside any page state
        Object empty =
                driver.executeAsyncScript(
                        """
                const done = arguments[arguments.length - 1];
                import('/js/report-view.js').then((m) => {
                  const el = document.createElement('div');
                  m.renderReport(el, {metrics: []});
                  done(el.textContent);
                });""");
        assertThat((String) empty).contains("No data yet");

        driver.executeScript("window.splitrank.renderReport(JSON.parse(arguments[0]))", fixture);
        WebElement srm = wait.until(visibilityOfElementLocated(By.id("srm")));
        assertThat(srm.getAttribute("data-mismatch")).isEqualTo("true");
        assertThat(srm.getText())
                .contains("Sample ratio mismatch (p = 0.0004)")
                .contains("ektm 50,007 (33.7% of 33% expected)");

        By ektm = By.cssSelector(".metric-block[data-metric='ecpm'] tr[data-arm='ektm']");
        WebElement row = driver.findElement(ektm);
        assertThat(row.findElement(By.cssSelector(".value")).getText()).startsWith("336.5");
        assertThat(row.findElement(By.cssSelector(".lift")).getText()).isEqualTo("+3.92%");
        assertThat(row.findElement(By.cssSelector(".ci-text")).getText())
                .isEqualTo("[+1.20%, +6.64%]");
        assertThat(row.findElement(By.cssSelector(".seq-ci")).getText())
                .isEqualTo("seq. [−0.40%, +8.30%]");
        assertThat(row.findElement(By.cssSelector(".p-fixed")).getText())
                .startsWith("0.0092")
                .contains("raw 0.0046");
        assertThat(row.findElement(By.cssSelector(".p-seq")).getText()).isEqualTo("0.082");
        assertThat(row.findElement(By.cssSelector(".ctw")).getText()).isEqualTo("99.2%");
        assertThat(row.getAttribute("data-significant")).isEqualTo("true");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                ".metric-block[data-metric='ecpm'] tr[data-arm='htlnet']"))
                                .getAttribute("data-significant"))
                .isEqualTo("false");
        // every metric but the primary one is in a closed section, opened by its heading
        assertThat(
                        driver.findElement(By.cssSelector(".metric-block[data-metric='ecpm']"))
                                .getAttribute("open"))
                .isNotNull();
        WebElement cvr =
                driver.findElement(By.cssSelector(".metric-block[data-metric='cvr:purchase']"));
        assertThat(cvr.getAttribute("open")).isNull();
        assertThat(cvr.findElement(By.cssSelector("tr[data-arm='htlnet']")).isDisplayed())
                .isFalse();
        cvr.findElement(By.tagName("summary")).click();
        assertThat(cvr.getAttribute("open")).isNotNull();
        assertThat(cvr.findElement(By.cssSelector("tr[data-arm='htlnet']")).getText())
                .contains("too few conversions");
        // a section the reader opened stays open when the report is rendered again
        driver.executeScript("window.splitrank.renderReport(window.splitrank.lastReport)");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(".metric-block[data-metric='cvr:purchase']"))
                                .getAttribute("open"))
                .isNotNull();
        // without a decision (this fixture has none), the scorecard reads the primary metric's
        // always-valid intervals and lists the guardrails without a verdict
        assertThat(driver.findElements(By.id("decision"))).isEmpty();
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#scorecard tr[data-role='primary'][data-arm='ektm']"))
                                .getAttribute("data-result"))
                .isEqualTo("inconclusive");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#scorecard tr[data-role='guardrail'][data-metric='impressions_per_unit'][data-arm='htlnet']"))
                                .getAttribute("data-result"))
                .isEqualTo("none");
        assertThat(
                        driver.findElements(By.cssSelector(".metric-block")).stream()
                                .map(b -> b.getAttribute("data-metric")))
                .containsExactly(
                        "ecpm", "ctr", "cvr:purchase", "value_per_unit", "impressions_per_unit");
        assertThat(driver.findElements(By.cssSelector("#lift-chart polygon.ci-band"))).hasSize(2);
        assertThat(driver.findElements(By.cssSelector("#lift-chart polyline.lift-line")))
                .hasSize(2);
        chromium.screenshot("experiment-results");
    }

    @Test
    void resultsUpdateLiveInTheBrowserWhenEventsArrive() throws Exception {
        createByApi(
                """
                {"key": "live-report", "name": "Live EKTM", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/live-report/start");

        driver.get(url("/experiments/live-report"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(visibilityOfElementLocated(By.id("no-data")));
        wait.until(textToBe(By.id("live"), "Live"));

        // forty units are exposed and see an ad each; the page is not reloaded
        StringBuilder units = new StringBuilder();
        StringBuilder events = new StringBuilder();
        String now = Instant.now().toString();
        for (int i = 0; i < 40; i++) {
            units.append(i == 0 ? "" : ",")
                    .append(
                            """
                    {"attributes": {"userId": "live-%d"}}"""
                                    .formatted(i));
            events.append(i == 0 ? "" : ",")
                    .append(
                            """
                    {"eventId": "live-imp-%d", "type": "impression", "unitId": "live-%d", "timestamp": "%s"}"""
                                    .formatted(i, i, now));
        }
        postJson(
                "/api/v1/assign/batch",
                "{\"units\": [" + units + "], \"experiments\": [\"live-report\"]}");
        postJson("/api/v1/events", "{\"events\": [" + events + "]}");

        new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(textToBe(By.id("total-units"), "40"));
        assertThat(driver.findElements(By.id("no-data"))).isEmpty();
        assertThat(driver.findElement(By.id("live")).getText()).isEqualTo("Live");
    }

    @Test
    void scorecardShowsTheDecisionAndEachGuardrailsStatusWithItsMargin() throws Exception {
        createByApi(
                """
                {"key": "fixture-scorecard", "name": "Scorecard of a fixture",
                 "arms": [{"key": "control", "model": "baseline", "weight": 0.34}, {"key": "ektm", "model": "ektm",
                 "weight": 0.33}, {"key": "htlnet", "model": "htlnet", "weight": 0.33}],
                 "metrics": {"primary": "ecpm", "secondary": ["ctr", "cvr:purchase", "value_per_unit"],
                 "guardrails": ["impressions_per_unit"], "guardrailMargins": {"impressions_per_unit": 0.05}}}""");
        post("/api/v1/experiments/fixture-scorecard/start");
        String fixture;
        try (var in = getClass().getResourceAsStream("/dashboard/report-fixture.json")) {
            fixture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the fixture with the decision and scenarios of the report's current shape
        String decision =
                """
                {"scenarios": ["feed", "search"], "decision": {"outcome": "ship", "arm": "ektm",
                 "reasons": ["ektm raises ecpm by +3.9% (always-valid interval [+1.2%, +6.6%], adjusted p = 0.003)",
                             "impressions_per_unit: non-inferior within its 5% margin"],
                 "units": 148230, "plannedUnits": 200000,
                 "primary": {"metric": "ecpm", "test": "sequential", "arms": [
                   {"arm": "ektm", "estimate": 0.0392, "ci": [0.012, 0.066], "pValue": 0.003, "verdict": "better"},
                   {"arm": "htlnet", "estimate": -0.0083, "ci": [-0.06, 0.045], "pValue": 1.0, "verdict": "inconclusive"}]},
                 "guardrails": [
                   {"metric": "impressions_per_unit", "arm": "ektm", "estimate": 0.0054, "ci": [-0.01, 0.02],
                    "pValue": 0.5, "margin": 0.05, "status": "non-inferior"},
                   {"metric": "impressions_per_unit", "arm": "htlnet", "estimate": -0.03, "ci": [-0.06, -0.01],
                    "pValue": 0.01, "margin": 0.05, "status": "harm"}],
                 "arms": [{"arm": "ektm", "outcome": "ship", "reasons": ["wins on ecpm"]},
                          {"arm": "htlnet", "outcome": "rollback", "reasons": ["harms impressions_per_unit"]}]}}""";

        driver.get(url("/experiments/fixture-scorecard"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        driver.executeScript(
                "window.splitrank.renderReport(Object.assign(JSON.parse(arguments[0]),"
                        + " JSON.parse(arguments[1])))",
                fixture,
                decision);

        WebElement panel = wait.until(visibilityOfElementLocated(By.id("decision")));
        assertThat(panel.getAttribute("data-outcome")).isEqualTo("ship");
        assertThat(driver.findElement(By.id("decision-outcome")).getText()).startsWith("Ship");
        assertThat(driver.findElement(By.id("decision-arm")).getText()).isEqualTo("ektm");
        assertThat(driver.findElement(By.id("decision-reasons")).getText())
                .contains("ektm raises ecpm by +3.9%")
                .contains("non-inferior within its 5% margin");
        assertThat(driver.findElement(By.id("decision-units")).getText())
                .isEqualTo("148,230 of 200,000 planned units");
        assertThat(driver.findElement(By.cssSelector("#decision li[data-arm='htlnet']")).getText())
                .contains("Roll back");

        // the scorecard: the primary metric, then each guardrail, per treatment, with its verdict
        assertThat(
                        driver.findElements(By.cssSelector("#scorecard tr.score-row")).stream()
                                .map(
                                        r ->
                                                r.getAttribute("data-role")
                                                        + " "
                                                        + r.getAttribute("data-arm")
                                                        + " "
                                                        + r.getAttribute("data-result")))
                .containsExactly(
                        "primary ektm better",
                        "primary htlnet inconclusive",
                        "guardrail ektm non-inferior",
                        "guardrail htlnet harm");
        WebElement better =
                driver.findElement(
                        By.cssSelector("#scorecard tr[data-role='primary'][data-arm='ektm']"));
        assertThat(better.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("Better");
        assertThat(better.findElement(By.cssSelector(".score-lift")).getText())
                .isEqualTo("+3.92% [+1.20%, +6.60%]");
        assertThat(better.findElement(By.cssSelector(".score-p")).getText()).isEqualTo("0.0030");
        WebElement harm =
                driver.findElement(
                        By.cssSelector("#scorecard tr[data-role='guardrail'][data-arm='htlnet']"));
        assertThat(harm.findElement(By.cssSelector(".verdict")).getText()).isEqualTo("Harm");
        assertThat(harm.findElement(By.cssSelector(".verdict")).getAttribute("class"))
                .contains("harm");
        assertThat(harm.findElement(By.cssSelector(".margin")).getText()).isEqualTo("margin 5%");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#scorecard tr[data-role='guardrail'][data-arm='ektm'] .verdict"))
                                .getText())
                .isEqualTo("Non-inferior");

        // the results open with the decision and the scorecard; the metric tables follow, all but
        // the primary one closed
        int scorecardTop = driver.findElement(By.id("scorecard")).getLocation().getY();
        assertThat(panel.getLocation().getY()).isLessThan(scorecardTop);
        assertThat(
                        driver.findElements(By.cssSelector("details.metric-block")).stream()
                                .allMatch(d -> d.getLocation().getY() > scorecardTop))
                .isTrue();
        assertThat(
                        driver.findElements(By.cssSelector("details.metric-block[open]")).stream()
                                .map(d -> d.getAttribute("data-metric")))
                .containsExactly("ecpm");
        // the scenario selector offers the report's scenarios
        Select scenarios = new Select(driver.findElement(By.id("scenario-select")));
        assertThat(scenarios.getOptions().stream().map(o -> o.getAttribute("value")))
                .containsExactly("", "feed", "search");
        assertThat(scenarios.getFirstSelectedOption().getText()).isEqualTo("All scenarios");
        chromium.screenshot("experiment-scorecard");
    }

    @Test
    void liveReportShowsTheBackendsDecisionAndReloadsForAScenario() throws Exception {
        createByApi(
                """
                {"key": "scorecard-live", "name": "Scorecard of live traffic", "arms": [
                 {"key": "control", "model": "baseline"}, {"key": "ektm", "model": "ektm"}],
                 "metrics": {"primary": "impressions_per_unit", "guardrails": ["conversion_rate"],
                 "guardrailMargins": {"conversion_rate": 0.5}}}""");
        post("/api/v1/experiments/scorecard-live/start");
        // the treatment's units see three or four ads, the control's one or two; a third of each
        // arm's units convert
        traffic(
                "scorecard-live",
                300,
                (arm, i) -> (arm.equals("ektm") ? 3 : 1) + i % 2,
                (arm, i) -> i % 3 == 0);

        driver.get(url("/experiments/scorecard-live"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        new WebDriverWait(driver, Duration.ofSeconds(40))
                .ignoring(StaleElementReferenceException.class)
                .until(attributeToBe(By.id("decision"), "data-outcome", "ship"));
        assertThat(driver.findElement(By.id("decision-arm")).getText()).isEqualTo("ektm");
        assertThat(driver.findElement(By.id("decision-reasons")).getText())
                .contains("ektm raises impressions_per_unit");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#scorecard tr[data-role='primary'][data-arm='ektm']"))
                                .getAttribute("data-result"))
                .isEqualTo("better");
        WebElement guardrail =
                driver.findElement(
                        By.cssSelector(
                                "#scorecard tr[data-role='guardrail'][data-metric='conversion_rate'][data-arm='ektm']"));
        assertThat(guardrail.getAttribute("data-result")).isIn("non-inferior", "pending");
        assertThat(guardrail.findElement(By.cssSelector(".margin")).getText())
                .isEqualTo("margin 50%");
        assertThat(driver.findElement(By.id("live")).getText()).isEqualTo("Live");
        chromium.screenshot("experiment-scorecard-live");

        // one scenario's results: the report is asked again with ?scenario=, kept in the address
        Select scenarios = new Select(driver.findElement(By.id("scenario-select")));
        assertThat(scenarios.getOptions().stream().map(o -> o.getAttribute("value")))
                .containsExactly("", "feed", "search");
        scenarios.selectByValue("search");
        wait.until(attributeToBe(By.cssSelector("#results .report"), "data-scenario", "search"));
        assertThat(driver.getCurrentUrl())
                .contains("/experiments/scorecard-live?")
                .contains("scenario=search");
        assertThat(driver.findElement(By.cssSelector(".report-meta")).getText())
                .contains("Scenario search");
        new Select(driver.findElement(By.id("scenario-select"))).selectByValue("");
        // all scenarios again (attributeToBe cannot wait for an empty value)
        wait.until(
                d ->
                        d.findElements(By.cssSelector("#results .report[data-scenario='']")).size()
                                == 1);
        assertThat(driver.getCurrentUrl()).doesNotContain("scenario=");
    }

    @Test
    void rampPlanTimelineFollowsThePlatformThroughEveryStep() throws Exception {
        createByApi(
                """
                {"key": "ramp-timeline", "name": "Ramped by the platform", "arms": [
                 {"key": "control", "model": "baseline"}, {"key": "ektm", "model": "ektm"}],
                 "rampPlan": {"steps": [{"coverage": 0.1, "minDuration": "3s"}, {"coverage": 0.3, "minDuration": "1s"},
                 {"coverage": 1.0}], "autoAdvance": true, "autoRollback": true}}""");
        driver.get(url("/experiments/ramp-timeline"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        // a draft: the plan, not started
        assertThat(driver.findElement(By.id("ramp-plan")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("ramp-state-badge")).getAttribute("data-state"))
                .isEqualTo("not-started");
        assertThat(stepStatuses()).containsExactly("pending", "pending", "pending");
        assertThat(driver.findElement(By.cssSelector("#ramp-timeline li[data-step='0']")).getText())
                .contains("10%")
                .contains("at least 3 s");
        assertThat(
                        driver.findElements(By.cssSelector("#ramp button")).stream()
                                .map(b -> b.getAttribute("data-coverage")))
                .containsExactly("0.1", "0.3", "1");

        driver.findElement(By.id("start")).click();
        acceptConfirm("Start the experiment?");
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        // started at the first step, which holds for three seconds
        assertThat(driver.findElement(By.id("coverage-value")).getText()).isEqualTo("10%");
        assertThat(stepStatuses()).containsExactly("current", "pending", "pending");
        assertThat(
                        driver.findElement(By.cssSelector("#ramp-timeline li[data-step='0']"))
                                .getAttribute("aria-current"))
                .isEqualTo("step");

        // the platform advances it; the page follows without a reload
        new WebDriverWait(driver, Duration.ofSeconds(40))
                .ignoring(StaleElementReferenceException.class)
                .until(attributeToBe(By.id("ramp-state-badge"), "data-state", "complete"));
        assertThat(driver.findElement(By.id("coverage-value")).getText()).isEqualTo("100%");
        assertThat(stepStatuses()).containsExactly("done", "done", "current");
        assertThat(
                        driver.findElement(By.cssSelector("#ramp-timeline li[data-step='2']"))
                                .getAttribute("aria-current"))
                .isEqualTo("step");
        assertThat(driver.findElement(By.cssSelector("#ramp-timeline li[data-step='1']")).getText())
                .contains("reached")
                .contains("splitrank-ramp");
        assertThat(driver.findElement(By.id("ramp-reason")).getText()).isNotBlank();
        // the coverage history of the phase: the start and each automatic step, with its actor
        wait.until(d -> d.findElements(By.cssSelector("#coverage-history li")).size() >= 3);
        assertThat(
                        driver.findElements(By.cssSelector("#coverage-history li")).stream()
                                .map(li -> li.getAttribute("data-actor")))
                .contains("admin", "splitrank-ramp");
        wait.until(
                d ->
                        d.findElements(By.cssSelector("#audit li")).stream()
                                .map(li -> li.getAttribute("data-action"))
                                .toList()
                                .containsAll(List.of("ramp-advance", "ramp-complete")));
        chromium.screenshot("experiment-ramp-plan");
    }

    @Test
    void rolledBackExperimentShowsWhyWithItsFinalResults() throws Exception {
        createByApi(
                """
                {"key": "ramp-rollback", "name": "Rolled back by a guardrail", "arms": [
                 {"key": "control", "model": "baseline"}, {"key": "ektm", "model": "ektm"}],
                 "metrics": {"primary": "conversion_rate", "guardrails": ["impressions_per_unit"]},
                 "rampPlan": {"steps": [{"coverage": 0.5, "minDuration": "1h"}, {"coverage": 1.0}]}}""");
        post("/api/v1/experiments/ramp-rollback/start");
        driver.get(url("/experiments/ramp-rollback"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(driver.findElement(By.id("ramp-state-badge")).getAttribute("data-state"))
                .isEqualTo("ramping");
        // the treatment's units see far fewer ads: the guardrail is harmed
        traffic(
                "ramp-rollback",
                400,
                (arm, i) -> (arm.equals("ektm") ? 1 : 3) + i % 2,
                (arm, i) -> i % 3 == 0);

        new WebDriverWait(driver, Duration.ofSeconds(40))
                .ignoring(StaleElementReferenceException.class)
                .until(visibilityOfElementLocated(By.id("rollback")));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "stopped"));
        assertThat(driver.findElement(By.id("rollback")).getText())
                .startsWith("Rolled back")
                .contains("impressions_per_unit");
        assertThat(driver.findElement(By.id("ramp-state-badge")).getAttribute("data-state"))
                .isEqualTo("rolled-back");
        assertThat(stepStatuses()).containsExactly("rolled-back", "pending");
        // final results, the guardrail's harm among them
        wait.until(textToBe(By.id("live"), "Final"));
        wait.until(
                attributeToBe(
                        By.cssSelector(
                                "#scorecard tr[data-role='guardrail'][data-metric='impressions_per_unit'][data-arm='ektm']"),
                        "data-result",
                        "harm"));
        assertThat(driver.findElement(By.id("decision")).getAttribute("data-outcome"))
                .isEqualTo("rollback");
        wait.until(
                d ->
                        d.findElements(By.cssSelector("#audit li[data-action='rollback']")).size()
                                == 1);
        assertThat(
                        driver.findElement(
                                        By.cssSelector("#audit li[data-action='rollback'] .what"))
                                .getText())
                .startsWith("splitrank-ramp");
        chromium.screenshot("experiment-rolled-back");
    }

    @Test
    void stoppedExperimentShowsItsFinalResultsNotLiveOnes() throws Exception {
        createByApi(
                """
                {"key": "final-results", "name": "Stopped EKTM", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/final-results/start");
        traffic("final-results", 40, (arm, i) -> 1, (arm, i) -> false);

        driver.get(url("/experiments/final-results"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(StaleElementReferenceException.class)
                .until(textToBe(By.id("total-units"), "40"));
        wait.until(textToBe(By.id("live"), "Live"));
        assertThat(driver.findElement(By.id("ramp")).isDisplayed()).isTrue();

        driver.findElement(By.id("stop")).click();
        acceptConfirm("Stop the experiment?");
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "stopped"));
        assertFinal();
        chromium.screenshot("experiment-stopped");

        // the same on a fresh page: the final results, no stream
        driver.navigate().refresh();
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertFinal();
        assertThat(driver.findElement(By.id("total-units")).getText()).isEqualTo("40");
        assertThat(driver.findElement(By.id("start")).getText()).isEqualTo("Restart");
    }

    /** The page of a stopped experiment: "Final", not live; its stop time; no ramp buttons. */
    private void assertFinal() {
        WebElement live = driver.findElement(By.id("live"));
        assertThat(live.getText()).isEqualTo("Final");
        assertThat(live.getAttribute("data-state")).isEqualTo("final");
        assertThat(live.getAttribute("class")).doesNotContain(" on");
        assertThat((Boolean) driver.executeScript("return window.splitrank.streaming")).isFalse();
        WebElement stoppedAt = driver.findElement(By.id("stopped-at"));
        assertThat(stoppedAt.isDisplayed()).isTrue();
        assertThat(stoppedAt.getText()).startsWith("· stopped ").endsWith(" UTC");
        assertThat(driver.findElement(By.id("ramp")).isDisplayed()).isFalse();
        assertThat(
                        driver.findElements(By.cssSelector("#ramp button:not([disabled])")).stream()
                                .filter(WebElement::isDisplayed))
                .isEmpty();
    }

    private List<String> stepStatuses() {
        return driver.findElements(By.cssSelector("#ramp-timeline li")).stream()
                .map(li -> li.getAttribute("data-status"))
                .toList();
    }
}
