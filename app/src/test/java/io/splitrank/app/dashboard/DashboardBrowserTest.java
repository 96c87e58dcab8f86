package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlContains;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import io.splitrank.app.ApiClient;
import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real headless Chromium against the whole application on a random port:
 * sign-in, the create form (models chosen from the registry) and its field errors, the lifecycle,
 * the coverage ramp, the audit log, the models page, arms whose model is not loaded, the results
 * panel fed with a fixture report, and the same panel updating live as events arrive; the decision
 * and scorecard of a real report with its scenario selector, a ramp plan advanced and one rolled
 * back by the platform, a stopped experiment's final results, the experiments list's lifts and
 * archived experiments, and the form's ramp plan, guardrail margins, analysis options and sample
 * size helper. Screenshots of each page go to target/screenshots.
 *
 * <p>The tests share one application and database: none leaves a draft behind (the list test
 * filters on drafts), and none uses the home-feed layer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DashboardBrowserTest {

    private static final String PASSWORD = "test-admin-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HeadlessChromium chromium;

    @LocalServerPort int port;
    @Autowired JsonMapper json;
    ChromeDriver driver;
    WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        chromium = new HeadlessChromium();
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void freshSession() {
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class);
        driver.get(url("/login"));
        driver.manage().deleteAllCookies();
    }

    @Test
    void pagesRequireSignInWhichReturnsToTheRequestedPage() {
        driver.get(url("/experiments/new"));
        wait.until(urlContains("/login"));
        chromium.screenshot("login");

        signIn("wrong-password");
        wait.until(urlContains("/login?error"));
        assertThat(driver.findElement(By.id("login-error")).isDisplayed()).isTrue();

        driver.get(url("/experiments/new"));
        signIn(PASSWORD);
        wait.until(urlContains("/experiments/new"));
        wait.until(visibilityOfElementLocated(By.id("experiment-form")));
        // the top bar asks the API who is signed in, with the session cookie
        wait.until(textToBe(By.id("user-name"), "admin"));

        driver.findElement(By.id("logout")).click();
        wait.until(urlContains("/login?logout"));
        driver.get(url("/"));
        wait.until(urlContains("/login"));
    }

    @Test
    void experimentIsCreatedThroughTheFormThenStartedRampedAndAudited() throws Exception {
        createByApi(
                """
                {"key": "home-feed-htlnet", "name": "HTLNet on the home feed", "layer": "home-feed",
                 "layerRange": [0, 0.5], "coverage": 0.2, "arms": [{"key": "control", "model": "baseline"},
                 {"key": "htlnet", "model": "htlnet"}]}""");
        createByApi(
                """
                {"key": "search-aem2tl", "name": "AEM2TL for search ads", "layer": "search", "layerRange": [0, 1],
                 "metrics": {"primary": "ctr"}, "arms": [{"key": "control", "model": "baseline"},
                 {"key": "aem2tl", "model": "aem2tl"}, {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/home-feed-htlnet/start");

        driver.get(url("/experiments/new"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        // an arm's model is chosen from the loaded models; the control defaults to baseline, the
        // treatment to ektm
        Select controlModel =
                new Select(
                        driver.findElement(
                                By.cssSelector(
                                        "tr.arm-row[data-index='0'] select[name=armModel]")));
        Select treatmentModel =
                new Select(
                        driver.findElement(
                                By.cssSelector(
                                        "tr.arm-row[data-index='1'] select[name=armModel]")));
        assertThat(treatmentModel.getOptions().stream().map(o -> o.getAttribute("value")))
                .contains("baseline", "ektm", "htlnet", "aem2tl");
        assertThat(controlModel.getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("baseline");
        assertThat(treatmentModel.getFirstSelectedOption().getText()).isEqualTo("ektm — ektm v1");

        driver.findElement(By.id("key")).sendKeys("browser-htlnet");
        driver.findElement(By.id("name")).sendKeys("HTLNet ranker vs baseline");
        driver.findElement(By.id("hypothesis"))
                .sendKeys("Serving HTLNet raises eCPM without hurting CVR.");
        WebElement treatmentKey =
                driver.findElement(By.cssSelector("tr.arm-row[data-index='1'] input[name=armKey]"));
        treatmentKey.clear();
        treatmentKey.sendKeys("htlnet");
        treatmentModel.selectByValue("");
        WebElement treatmentWeight =
                driver.findElement(
                        By.cssSelector("tr.arm-row[data-index='1'] input[name=armWeight]"));
        treatmentWeight.clear();
        treatmentWeight.sendKeys("1.5");
        driver.findElement(By.id("create")).click();

        WebElement weightError =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector(
                                        "tr.arm-row[data-index='1'] .field-error[data-field='arms[1].weight']")));
        assertThat(weightError.getText()).isEqualTo("must be in [0, 1]");
        assertThat(
                        driver.findElement(By.cssSelector("[data-field='arms'] > .field-error"))
                                .getText())
                .startsWith("weights must sum to 1");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "tr.arm-row[data-index='1'] .arm-model .field-error[data-field='arms[1].model']"))
                                .getText())
                .startsWith("required");
        chromium.screenshot("create-form-errors");

        treatmentModel.selectByValue("htlnet");
        treatmentWeight.clear();
        treatmentWeight.sendKeys("0.5");
        driver.findElement(By.id("create")).click();
        wait.until(urlContains("/experiments/browser-htlnet"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "draft"));
        assertThat(driver.findElement(By.id("coverage-value")).getText()).isEqualTo("5%");
        // the arms name the chosen models, joined with the registry
        assertThat(
                        driver.findElement(By.cssSelector("#arms tr[data-arm='htlnet'] .arm-model"))
                                .getAttribute("data-model"))
                .isEqualTo("htlnet");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#arms tr[data-arm='htlnet'] .model-version"))
                                .getText())
                .isEqualTo("htlnet v1");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#arms tr[data-arm='control'] .model-version"))
                                .getText())
                .isEqualTo("baseline v1");
        assertThat(driver.findElements(By.cssSelector("#arms .model-missing"))).isEmpty();

        driver.findElement(By.id("start")).click();
        acceptConfirm("Start the experiment?");
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        driver.findElement(By.cssSelector("#ramp button[data-coverage='0.2']")).click();
        wait.until(textToBe(By.id("coverage-value"), "20%"));
        driver.findElement(By.cssSelector("#ramp button[data-coverage='0.5']")).click();
        wait.until(textToBe(By.id("coverage-value"), "50%"));

        wait.until(numberOfElementsToBe(By.cssSelector("#audit li"), 4));
        assertThat(
                        driver.findElements(By.cssSelector("#audit li")).stream()
                                .map(li -> li.getAttribute("data-action")))
                .containsExactly("patch", "patch", "start", "create");
        assertThat(driver.findElement(By.cssSelector("#audit li:first-child .changes")).getText())
                .isEqualTo("coverage 20% → 50%");
        assertThat(driver.findElement(By.cssSelector("#audit li:first-child .what")).getText())
                .startsWith("admin");
        // the report endpoint has nothing for this experiment yet
        wait.until(visibilityOfElementLocated(By.id("no-data")));
        chromium.screenshot("experiment-detail");

        driver.get(url("/"));
        wait.until(
                visibilityOfElementLocated(
                        By.cssSelector("#experiments tr[data-key='browser-htlnet']")));
        chromium.screenshot("experiments-list");
        driver.findElement(By.cssSelector("#status-filter button[data-status='draft']")).click();
        wait.until(d -> listedKeys().equals(List.of("search-aem2tl")));
        assertThat(driver.getCurrentUrl()).endsWith("/?status=draft");
        driver.findElement(By.cssSelector("#status-filter button[data-status='running']")).click();
        wait.until(
                d ->
                        listedKeys().containsAll(List.of("browser-htlnet", "home-feed-htlnet"))
                                && !listedKeys().contains("search-aem2tl"));
        new Select(driver.findElement(By.id("layer-filter"))).selectByValue("home-feed");
        wait.until(d -> listedKeys().equals(List.of("home-feed-htlnet")));
    }

    @Test
    void modelsPageListsTheRegistryWithOfflineMetricsAndReloadsIt() {
        driver.get(url("/models"));
        signIn(PASSWORD);
        wait.until(urlContains("/models"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(driver.findElement(By.cssSelector(".topnav a.active")).getText())
                .isEqualTo("Models");
        for (String key : List.of("baseline", "ektm", "htlnet", "aem2tl")) {
            WebElement card =
                    driver.findElement(By.cssSelector(".model-card[data-model='" + key + "']"));
            assertThat(card.getAttribute("data-reference")).as(key).isEqualTo("false");
            assertThat(card.findElement(By.cssSelector(".architecture")).getText())
                    .as(key)
                    .isEqualTo(key);
            assertThat(card.findElement(By.cssSelector(".version")).getText())
                    .as(key)
                    .isEqualTo("1");
            assertThat(card.findElement(By.cssSelector(".parameters")).getText())
                    .as(key)
                    .matches("\\d{1,3}(,\\d{3})+");
            assertThat(card.findElement(By.cssSelector("tr[data-task='ctr'] .auc")).getText())
                    .as(key)
                    .matches("0\\.\\d{4}");
            assertThat(card.findElement(By.cssSelector("tr[data-task='value'] .nrmse")).getText())
                    .as(key)
                    .startsWith("NRMSE ");
        }
        chromium.screenshot("models");

        // the admin may reload the registry; the page shows the new answer and says so
        WebElement reload = wait.until(visibilityOfElementLocated(By.id("reload-models")));
        reload.click();
        WebElement toast = wait.until(visibilityOfElementLocated(By.cssSelector(".toast")));
        assertThat(toast.getText()).startsWith("Models reloaded: ");
        wait.until(d -> d.findElement(By.id("reload-models")).isEnabled());
        assertThat(
                        driver.findElements(
                                By.cssSelector(
                                        ".model-card[data-model='ektm'] tr[data-task='ctr'] .auc")))
                .hasSize(1);

        // a registry with a model that failed to load and a reference ranker without offline
        // metrics
        driver.executeScript(
                """
                window.splitrank.renderModels({models: [{key: 'random', architecture: 'reference', version: 1,
                  reference: true, offlineMetrics: {}}], failures: [{key: 'htlnet', reason: 'metadata.json: no such file'}]})""");
        WebElement failures = wait.until(visibilityOfElementLocated(By.id("failures")));
        assertThat(failures.getText()).contains("1 model failed to load");
        assertThat(failures.findElement(By.cssSelector("li[data-model='htlnet']")).getText())
                .isEqualTo("htlnet: metadata.json: no such file");
        WebElement random = driver.findElement(By.cssSelector(".model-card[data-model='random']"));
        assertThat(random.getAttribute("data-reference")).isEqualTo("true");
        assertThat(random.findElement(By.cssSelector(".no-metrics")).getText())
                .isEqualTo("No offline metrics");
    }

    @Test
    void detailPageFlagsAnArmWhoseModelIsNotLoadedAndShowsWarnings() throws Exception {
        createByApi(
                """
                {"key": "model-check", "name": "Model check", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        // running, so that the list test's draft filter still finds only its own draft
        post("/api/v1/experiments/model-check/start");
        driver.get(url("/experiments/model-check"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(
                        driver.findElement(
                                        By.cssSelector("#arms tr[data-arm='ektm'] .model-version"))
                                .getText())
                .isEqualTo("ektm v1");
        assertThat(
                        driver.findElement(By.cssSelector("#arms tr[data-arm='ektm'] .arm-model"))
                                .getAttribute("data-loaded"))
                .isEqualTo("true");
        assertThat(driver.findElements(By.cssSelector("#arms .model-missing"))).isEmpty();
        assertThat(driver.findElements(By.id("experiment-warnings"))).isEmpty();

        // the same experiment as the API shows it once its treatment's model is gone from the
        // registry
        driver.executeScript(
                """
                const e = structuredClone(window.splitrank.experiment);
                e.arms[1].model = 'gpt5-ranker';
                e.warnings = ['arms[1].model: model gpt5-ranker is not loaded'];
                window.splitrank.renderExperiment(e);""");
        WebElement missing =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#arms tr[data-arm='ektm'] .model-missing")));
        assertThat(missing.getText()).isEqualTo("model not loaded");
        assertThat(
                        driver.findElement(By.cssSelector("#arms tr[data-arm='ektm'] .arm-model"))
                                .getAttribute("data-loaded"))
                .isEqualTo("false");
        assertThat(
                        driver.findElements(
                                By.cssSelector("#arms tr[data-arm='control'] .model-missing")))
                .isEmpty();
        assertThat(driver.findElement(By.id("experiment-warnings")).getText())
                .contains("arms[1].model: model gpt5-ranker is not loaded");
        chromium.screenshot("experiment-model-not-loaded");
    }

    private List<String> listedKeys() {
        return driver.findElements(By.cssSelector("#experiments tbody tr[data-key]")).stream()
                .map(tr -> tr.getAttribute("data-key"))
                .toList();
    }

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

    @Test
    void listShowsThePrimaryLiftPerArmAndHidesArchivedExperimentsUnlessAsked() throws Exception {
        createByApi(
                """
                {"key": "list-archived", "name": "Archived long ago", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/list-archived/archive");
        createByApi(
                """
                {"key": "list-lift", "name": "Lift in the list", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}], "metrics": {"primary": "impressions_per_unit"}}""");
        post("/api/v1/experiments/list-lift/start");
        traffic(
                "list-lift",
                300,
                (arm, i) -> (arm.equals("ektm") ? 3 : 1) + i % 2,
                (arm, i) -> false);
        // the summary of the list once the report has the traffic
        new WebDriverWait(driver, Duration.ofSeconds(40))
                .until(
                        d -> {
                            try {
                                for (JsonNode s : json.readTree(get("/api/v1/reports/summary"))) {
                                    if (s.path("experiment").asString().equals("list-lift")
                                            && s.path("arms")
                                                    .path(0)
                                                    .path("significant")
                                                    .asBoolean(false)) {
                                        return true;
                                    }
                                }
                                return false;
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });

        driver.get(url("/"));
        signIn(PASSWORD);
        wait.until(
                visibilityOfElementLocated(
                        By.cssSelector("#experiments tr[data-key='list-lift']")));
        assertThat(listedKeys()).doesNotContain("list-archived");
        assertThat(driver.findElement(By.id("show-archived")).isSelected()).isFalse();
        WebElement lift =
                driver.findElement(
                        By.cssSelector(
                                "#experiments tr[data-key='list-lift'] td.summary .summary-arm[data-arm='ektm']"));
        assertThat(lift.getAttribute("data-significant")).isEqualTo("true");
        assertThat(lift.getText()).startsWith("ektm +").endsWith("significant win");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#experiments tr[data-key='list-lift'] td.summary"))
                                .getAttribute("data-outcome"))
                .isEqualTo("ship");
        chromium.screenshot("experiments-list-lifts");

        driver.findElement(By.id("show-archived")).click();
        wait.until(d -> listedKeys().contains("list-archived"));
        assertThat(driver.getCurrentUrl()).endsWith("/?archived=true");
        driver.findElement(By.id("show-archived")).click();
        wait.until(d -> !listedKeys().contains("list-archived"));
        // the Archived filter shows them whatever the box says
        driver.findElement(By.cssSelector("#status-filter button[data-status='archived']")).click();
        wait.until(
                d -> listedKeys().contains("list-archived") && !listedKeys().contains("list-lift"));
    }

    @Test
    void formCreatesAnExperimentWithARampPlanGuardrailMarginsAndAnalysisOptions() throws Exception {
        driver.get(url("/experiments/new"));
        signIn(PASSWORD);
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        driver.findElement(By.id("key")).sendKeys("form-ramp");
        driver.findElement(By.id("name")).sendKeys("Ramped from the form");

        // targeting is checked as JSON in the browser
        WebElement condition = driver.findElement(By.id("condition"));
        condition.sendKeys("{\"country\": \"FR\"");
        driver.findElement(By.id("create")).click();
        WebElement conditionError =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector(
                                        "[data-field='condition'] > .field-error[data-field='condition']")));
        assertThat(conditionError.getText()).startsWith("not valid JSON");
        assertThat(URI.create(driver.getCurrentUrl()).getPath()).isEqualTo("/experiments/new");
        condition.sendKeys("}");

        // a margin per guardrail named
        WebElement guardrails = driver.findElement(By.id("guardrails"));
        guardrails.sendKeys("ctr, cvr:purchase");
        wait.until(
                d -> d.findElements(By.cssSelector("#margins-table tr[data-metric]")).size() == 2);
        driver.findElement(By.cssSelector("#margins-table tr[data-metric='ctr'] input"))
                .sendKeys("5");

        driver.findElement(By.id("alpha")).sendKeys("0.1");
        new Select(driver.findElement(By.id("correction"))).selectByValue("benjamini-hochberg");
        driver.findElement(By.id("cupedDays")).sendKeys("7");
        driver.findElement(By.id("capPercentile")).sendKeys("0.99");

        // the sample size helper: a mean that is not a proportion needs its variance
        driver.findElement(By.id("power-mean")).sendKeys("5");
        driver.findElement(By.id("power-compute")).click();
        WebElement varianceError =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("[data-field='power.variance'] > .field-error")));
        assertThat(varianceError.getText()).contains("proportion");
        WebElement mean = driver.findElement(By.id("power-mean"));
        mean.clear();
        mean.sendKeys("0.05");
        driver.findElement(By.id("power-compute")).click();
        WebElement answer = wait.until(visibilityOfElementLocated(By.id("power-answer")));
        long totalUnits = Long.parseLong(answer.getAttribute("data-total-units"));
        assertThat(totalUnits).isGreaterThan(10_000);
        assertThat(answer.getText()).contains("units per arm").contains("+5.0%");
        assertThat(driver.findElements(By.cssSelector("#power-helper .field-error"))).isEmpty();
        driver.findElement(By.id("power-use")).click();
        assertThat(driver.findElement(By.id("plannedUnits")).getAttribute("value"))
                .isEqualTo(Long.toString(totalUnits));

        // the ramp plan: the suggested steps, the second one made smaller than the first
        driver.findElement(By.id("suggest-plan")).click();
        assertThat(driver.findElements(By.cssSelector("#steps-table tr.step-row"))).hasSize(4);
        assertThat(driver.findElement(By.id("coverage")).isEnabled()).isFalse();
        WebElement second =
                driver.findElement(
                        By.cssSelector("tr.step-row[data-index='1'] input[name=stepCoverage]"));
        second.clear();
        second.sendKeys("3");
        WebElement firstDuration =
                driver.findElement(
                        By.cssSelector("tr.step-row[data-index='0'] input[name=stepMinDuration]"));
        firstDuration.clear();
        firstDuration.sendKeys("30s");
        driver.findElement(By.id("autoRollback")).click();
        driver.findElement(By.id("create")).click();
        WebElement stepError =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector(
                                        "tr.step-row[data-index='1'] .step-coverage .field-error[data-field='rampPlan.steps[1].coverage']")));
        assertThat(stepError.getText()).startsWith("must be larger than the previous step");
        chromium.screenshot("create-form-ramp-plan");
        second.clear();
        second.sendKeys("20");
        driver.findElement(By.id("create")).click();

        wait.until(urlContains("/experiments/form-ramp"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        assertThat(driver.findElement(By.id("ramp-state-badge")).getAttribute("data-state"))
                .isEqualTo("not-started");
        assertThat(
                        driver.findElements(By.cssSelector("#ramp-timeline li")).stream()
                                .map(li -> li.getAttribute("data-coverage")))
                .containsExactly("0.05", "0.2", "0.5", "1");
        assertThat(driver.findElement(By.id("ramp-flags")).getText())
                .contains("no automatic rollback");
        assertThat(
                        driver.findElement(By.cssSelector("#definition [data-guardrail='ctr']"))
                                .getText())
                .isEqualTo("CTR (margin 5%)");
        chromium.screenshot("experiment-draft-ramp-plan");

        JsonNode created = json.readTree(get("/api/v1/experiments/form-ramp"));
        assertThat(created.path("coverage").asDouble()).isEqualTo(0.05);
        assertThat(created.path("condition").path("country").asString()).isEqualTo("FR");
        JsonNode plan = created.path("rampPlan");
        List<String> steps = new ArrayList<>();
        for (JsonNode step : plan.path("steps")) {
            steps.add(
                    step.path("coverage").asDouble() + " " + step.path("minDuration").asString(""));
        }
        assertThat(steps).containsExactly("0.05 30s", "0.2 1d", "0.5 2d", "1.0 ");
        assertThat(plan.path("steps").path(0).path("minUnits").asLong()).isEqualTo(1000);
        assertThat(plan.path("autoAdvance").asBoolean()).isTrue();
        assertThat(plan.path("autoRollback").asBoolean()).isFalse();
        JsonNode metrics = created.path("metrics");
        assertThat(metrics.path("guardrailMargins").path("ctr").asDouble()).isEqualTo(0.05);
        assertThat(metrics.path("guardrailMargins").has("cvr:purchase")).isFalse();
        JsonNode analysis = created.path("analysis");
        assertThat(analysis.path("alpha").asDouble()).isEqualTo(0.1);
        assertThat(analysis.path("correction").asString()).isEqualTo("benjamini-hochberg");
        assertThat(analysis.path("cupedDays").asInt()).isEqualTo(7);
        assertThat(analysis.path("capPercentile").asDouble()).isEqualTo(0.99);
        assertThat(analysis.path("plannedUnits").asLong()).isEqualTo(totalUnits);
        // no draft is left behind for the list test's draft filter
        post("/api/v1/experiments/form-ramp/archive");
    }

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

    /** The text of the element, read again if the page re-rendered it meanwhile. */
    private String textOf(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getText());
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

    @Test
    void adminCreatesAnAccountAndAKeyWhoseSecretIsShownOnceThenRevokesIt() throws Exception {
        driver.get(url("/accounts"));
        signIn(PASSWORD);
        wait.until(urlContains("/accounts"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        // admins have the Accounts and Keys pages in the navigation
        wait.until(visibilityOfElementLocated(By.id("nav-keys")));
        assertThat(driver.findElement(By.cssSelector(".topnav a.active")).getText())
                .isEqualTo("Accounts");
        // an admin cannot demote or disable themself
        WebElement self = driver.findElement(By.cssSelector("#users tr[data-username='admin']"));
        assertThat(self.findElement(By.cssSelector("select.role-select")).isEnabled()).isFalse();
        assertThat(self.findElement(By.cssSelector(".disable-user")).isEnabled()).isFalse();

        // the API's field errors go under the fields they name
        driver.findElement(By.id("user-username")).sendKeys("Ada Lovelace");
        driver.findElement(By.id("user-password")).sendKeys("short");
        driver.findElement(By.id("create-user")).click();
        wait.until(
                visibilityOfElementLocated(By.cssSelector("[data-field='username'] .field-error")));
        assertThat(
                        driver.findElement(By.cssSelector("[data-field='password'] .field-error"))
                                .getText())
                .contains("12 to 72 characters");

        driver.findElement(By.id("user-username")).clear();
        driver.findElement(By.id("user-username")).sendKeys("ada");
        driver.findElement(By.id("user-password")).clear();
        driver.findElement(By.id("user-password")).sendKeys("ada-password-1234");
        driver.findElement(By.id("create-user")).click();
        WebElement ada =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#users tr[data-username='ada']")));
        assertThat(ada.getAttribute("data-role")).isEqualTo("viewer");
        assertThat(ada.findElement(By.cssSelector(".status")).getText()).isEqualTo("Active");
        assertThat(driver.findElements(By.cssSelector(".field-error"))).isEmpty();

        new Select(ada.findElement(By.cssSelector("select.role-select"))).selectByValue("owner");
        acceptConfirm("Change the role of ada from viewer to owner?");
        wait.until(
                attributeToBe(
                        By.cssSelector("#users tr[data-username='ada']"), "data-role", "owner"));
        driver.findElement(By.cssSelector("#users tr[data-username='ada'] .disable-user")).click();
        acceptConfirm("Disable ada?");
        wait.until(
                attributeToBe(
                        By.cssSelector("#users tr[data-username='ada']"), "data-disabled", "true"));
        assertThat(
                        driver.findElement(By.cssSelector("#users tr[data-username='ada'] .status"))
                                .getText())
                .startsWith("Disabled");
        JsonNode stored = user("ada");
        assertThat(stored.path("role").asString()).isEqualTo("owner");
        assertThat(stored.path("disabledAt").isNull()).isFalse();
        // the audit names the admin and what changed
        wait.until(
                presenceOfElementLocated(
                        By.cssSelector(
                                "#security-audit li[data-action='update-user'][data-subject='user:ada']")));
        assertThat(
                        driver
                                .findElements(
                                        By.cssSelector(
                                                "#security-audit li[data-subject='user:ada']"))
                                .stream()
                                .map(li -> li.findElement(By.cssSelector(".changes")).getText()))
                .containsExactly("disabled", "role viewer → owner", "role viewer");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#security-audit li[data-subject='user:ada'] .what"))
                                .getText())
                .isEqualTo("admin · changed account ada");
        chromium.screenshot("accounts");

        driver.findElement(By.id("nav-keys")).click();
        wait.until(urlContains("/keys"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        driver.findElement(By.id("key-name")).sendKeys("feed-ranker-browser");
        driver.findElement(By.cssSelector("label[for='scope-sdk']")).click();
        driver.findElement(By.id("key-rate-limit")).sendKeys("50");
        driver.findElement(By.id("create-key")).click();
        WebElement secretField = wait.until(visibilityOfElementLocated(By.id("new-secret-value")));
        String secret = secretField.getAttribute("value");
        assertThat(secret).startsWith("sk_").hasSizeGreaterThan(20);
        assertThat(driver.findElement(By.id("new-secret")).getText())
                .contains("you will not see it again");
        assertThat(driver.findElement(By.id("copy-secret")).isDisplayed()).isTrue();
        By row = By.cssSelector("#keys tr[data-name='feed-ranker-browser']");
        WebElement listed = wait.until(visibilityOfElementLocated(row));
        String prefix = listed.findElement(By.cssSelector(".prefix")).getText();
        assertThat(prefix).endsWith("…");
        assertThat(secret).startsWith(prefix.substring(0, prefix.length() - 1));
        assertThat(prefix.length() - 1).isLessThan(secret.length() / 2);
        assertThat(listed.findElement(By.cssSelector(".scope")).getText()).isEqualTo("sdk");
        assertThat(listed.findElement(By.cssSelector(".rate-limit")).getText()).isEqualTo("50/s");
        assertThat(listed.findElement(By.cssSelector(".created-by")).getText())
                .isEqualTo("by admin");
        assertThat(listed.getText()).doesNotContain(secret);
        chromium.screenshot("keys-new-secret");
        // the key serves a recommendation service
        assertThat(withKey(secret, "/api/v1/sdk-config")).isEqualTo(200);

        // once dismissed, the secret is nowhere: not on the page, not after a reload, not in the
        // API's list
        driver.findElement(By.id("dismiss-secret")).click();
        wait.until(numberOfElementsToBe(By.id("new-secret"), 0));
        assertThat(driver.getPageSource()).doesNotContain(secret);
        driver.navigate().refresh();
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(visibilityOfElementLocated(row));
        assertThat(driver.findElements(By.id("new-secret-value"))).isEmpty();
        assertThat(driver.getPageSource()).doesNotContain(secret);
        assertThat(get("/api/v1/keys")).doesNotContain(secret);

        driver.findElement(By.cssSelector("#keys tr[data-name='feed-ranker-browser'] .revoke-key"))
                .click();
        acceptConfirm("Revoke the key feed-ranker-browser?");
        wait.until(attributeToBe(row, "data-revoked", "true"));
        assertThat(driver.findElement(row).findElement(By.cssSelector(".status")).getText())
                .startsWith("Revoked")
                .endsWith("by admin");
        assertThat(driver.findElement(row).findElements(By.cssSelector(".revoke-key"))).isEmpty();
        wait.until(
                presenceOfElementLocated(
                        By.cssSelector("#key-audit li[data-action='revoke-key']")));
        chromium.screenshot("keys");
        // revoked: refused at once
        assertThat(withKey(secret, "/api/v1/sdk-config")).isEqualTo(401);
    }

    @Test
    void viewerSeesNoEditControlsAndNoAdminPages() throws Exception {
        createUser("vera", "vera-password-1234", "viewer");
        createByApi(
                """
                {"key": "viewer-visible", "name": "Seen by a viewer", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/viewer-visible/start");

        driver.get(url("/"));
        signInAs("vera", "vera-password-1234");
        wait.until(textToBe(By.id("user-name"), "vera"));
        WebElement listed =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#experiments tr[data-key='viewer-visible']")));
        assertThat(listed.findElement(By.cssSelector("td.owner")).getAttribute("data-owner"))
                .isEqualTo("admin");
        // no way to create, and no admin pages in the navigation
        assertThat(driver.findElement(By.id("new-experiment")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("nav-new")).isDisplayed()).isFalse();
        assertThat(driver.findElements(By.id("nav-accounts"))).isEmpty();
        assertThat(driver.findElements(By.id("nav-keys"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".topnav a[href='/accounts']"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".topnav a[href='/keys']"))).isEmpty();
        assertThat(driver.findElement(By.id("user-role")).getAttribute("data-role"))
                .isEqualTo("viewer");

        driver.get(url("/experiments/viewer-visible"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        assertThat(driver.findElement(By.id("read-only-note")).getText())
                .isEqualTo("Read-only: your role (viewer) cannot change experiments.");
        assertNoChangeControls();
        assertThat(driver.findElement(By.id("owner")).getText()).isEqualTo("· owned by admin");
        chromium.screenshot("experiment-read-only");

        driver.get(url("/experiments/new"));
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        assertThat(driver.findElement(By.id("cannot-create")).getText())
                .contains("You cannot create experiments");
        assertThat(driver.findElement(By.id("create")).isEnabled()).isFalse();

        for (String page : List.of("/accounts", "/keys")) {
            driver.get(url(page));
            wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
            assertThat(driver.findElement(By.id("admin-only")).getText())
                    .as(page)
                    .startsWith("Only admins manage");
            assertThat(
                            driver.findElements(
                                    By.cssSelector(
                                            "#users tr[data-username], #keys tr[data-name]")))
                    .as(page)
                    .isEmpty();
        }
        post("/api/v1/experiments/viewer-visible/stop");
        post("/api/v1/experiments/viewer-visible/archive");
    }

    @Test
    void ownerSeesTheControlsOfTheirOwnExperimentButNotOfAnothers() throws Exception {
        createUser("otto", "otto-password-1234", "owner");
        createByApi(
                """
                {"key": "someone-elses", "name": "Someone else's", "arms": [{"key": "control", "model": "baseline"},
                 {"key": "ektm", "model": "ektm"}]}""");
        post("/api/v1/experiments/someone-elses/start");

        // an owner creates an experiment through the form: it is theirs
        driver.get(url("/experiments/new"));
        signInAs("otto", "otto-password-1234");
        wait.until(urlContains("/experiments/new"));
        wait.until(attributeToBe(By.id("experiment-form"), "data-ready", "true"));
        assertThat(driver.findElements(By.id("cannot-create"))).isEmpty();
        assertThat(driver.findElement(By.id("nav-new")).isDisplayed()).isTrue();
        assertThat(driver.findElements(By.id("nav-accounts"))).isEmpty();
        driver.findElement(By.id("key")).sendKeys("otto-own");
        driver.findElement(By.id("name")).sendKeys("Otto's ranker");
        driver.findElement(By.id("create")).click();
        wait.until(urlContains("/experiments/otto-own"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "draft"));
        assertThat(driver.findElement(By.id("owner")).getText()).isEqualTo("· owned by otto");
        assertThat(driver.findElement(By.id("read-only-note")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("archive")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("ramp")).isDisplayed()).isTrue();

        // the owner reveals the webhook secret and rotates it
        assertThat(driver.findElement(By.id("webhook-secret-box")).isDisplayed()).isFalse();
        driver.findElement(By.id("reveal-webhook-secret")).click();
        wait.until(visibilityOfElementLocated(By.id("webhook-secret-box")));
        String secret = driver.findElement(By.id("webhook-secret")).getAttribute("value");
        assertThat(secret).startsWith("whsec_");
        assertThat(driver.findElement(By.id("webhook-header")).getText())
                .isEqualTo("X-Splitrank-Signature");
        driver.findElement(By.id("rotate-webhook-secret")).click();
        acceptConfirm("Rotate the webhook secret?");
        wait.until(
                d -> !secret.equals(d.findElement(By.id("webhook-secret")).getAttribute("value")));
        String rotated = driver.findElement(By.id("webhook-secret")).getAttribute("value");
        assertThat(
                        json.readTree(get("/api/v1/experiments/otto-own/webhook-secret"))
                                .path("secret")
                                .asString())
                .isEqualTo(rotated);
        wait.until(
                presenceOfElementLocated(
                        By.cssSelector("#audit li[data-action='rotate-webhook-secret']")));
        driver.findElement(By.id("reveal-webhook-secret")).click();
        wait.until(d -> !d.findElement(By.id("webhook-secret-box")).isDisplayed());
        chromium.screenshot("experiment-owner");

        driver.findElement(By.id("start")).click();
        acceptConfirm("Start the experiment?");
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        assertThat(driver.findElement(By.id("stop")).isDisplayed()).isTrue();

        // the list names each experiment's owner
        driver.get(url("/"));
        WebElement own =
                wait.until(
                        visibilityOfElementLocated(
                                By.cssSelector("#experiments tr[data-key='otto-own'] td.owner")));
        assertThat(own.getAttribute("data-owner")).isEqualTo("otto");
        assertThat(own.getText()).contains("you");
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                "#experiments tr[data-key='someone-elses'] td.owner"))
                                .getAttribute("data-owner"))
                .isEqualTo("admin");
        assertThat(driver.findElement(By.id("new-experiment")).isDisplayed()).isTrue();

        // another owner's experiment: read-only, with the reason
        driver.get(url("/experiments/someone-elses"));
        wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        wait.until(attributeToBe(By.cssSelector("#status .badge"), "data-status", "running"));
        assertThat(driver.findElement(By.id("read-only-note")).getText())
                .isEqualTo(
                        "Read-only: this experiment belongs to admin; only its owner or an admin"
                                + " can change it.");
        assertNoChangeControls();

        for (String key : List.of("otto-own", "someone-elses")) {
            post("/api/v1/experiments/" + key + "/stop");
            post("/api/v1/experiments/" + key + "/archive");
        }
    }

    @Test
    void userChangesTheirPasswordFromTheMenuAndSignsInWithTheNewOne() throws Exception {
        createUser("paula", "paula-first-password", "viewer");
        driver.get(url("/"));
        signInAs("paula", "paula-first-password");
        wait.until(textToBe(By.id("user-name"), "paula"));

        WebElement menuButton = driver.findElement(By.id("user-menu-button"));
        assertThat(menuButton.getAttribute("aria-expanded")).isEqualTo("false");
        menuButton.click();
        wait.until(visibilityOfElementLocated(By.id("user-menu")));
        assertThat(menuButton.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(driver.findElement(By.id("user-menu")).getText())
                .contains("Signed in as paula")
                .contains("Role: viewer");
        driver.findElement(By.id("change-password")).click();
        WebElement dialog = wait.until(visibilityOfElementLocated(By.id("password-dialog")));
        assertThat(driver.findElement(By.id("user-menu")).isDisplayed()).isFalse();

        // a wrong current password: the API names the field
        changePassword("not-my-password", "paula-second-password", "paula-second-password");
        assertThat(
                        wait.until(
                                        visibilityOfElementLocated(
                                                By.cssSelector(
                                                        "#password-dialog [data-field='currentPassword'] .field-error")))
                                .getText())
                .isEqualTo("does not match");
        assertThat(driver.findElement(By.id("pw-currentPassword")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        // the new password typed twice differently: caught before asking
        changePassword("paula-first-password", "paula-second-password", "paula-other-password");
        wait.until(
                visibilityOfElementLocated(
                        By.cssSelector(
                                "#password-dialog [data-field='confirmPassword'] .field-error")));
        assertThat(
                        driver.findElements(
                                By.cssSelector(
                                        "#password-dialog [data-field='currentPassword'] .field-error")))
                .isEmpty();
        chromium.screenshot("change-password");

        changePassword("paula-first-password", "paula-second-password", "paula-second-password");
        wait.until(d -> !dialog.isDisplayed());
        assertThat(wait.until(visibilityOfElementLocated(By.cssSelector(".toast"))).getText())
                .isEqualTo("Your password has been changed");
        assertThat(user("paula").path("passwordChangedAt").isNull()).isFalse();

        driver.findElement(By.id("logout")).click();
        wait.until(urlContains("/login?logout"));
        signInAs("paula", "paula-first-password");
        wait.until(urlContains("/login?error"));
        signInAs("paula", "paula-second-password");
        wait.until(textToBe(By.id("user-name"), "paula"));
    }

    /** The experiment page shows none of the controls that change the experiment. */
    private void assertNoChangeControls() {
        for (String id :
                List.of(
                        "start",
                        "stop",
                        "archive",
                        "ramp",
                        "ramp-hint",
                        "webhook-card",
                        "reveal-webhook-secret")) {
            assertThat(driver.findElement(By.id(id)).isDisplayed()).as(id).isFalse();
        }
        assertThat(driver.findElements(By.id("ramp-advance"))).isEmpty();
    }

    private void changePassword(String current, String next, String again) {
        for (String[] field :
                List.of(
                        new String[] {"pw-currentPassword", current},
                        new String[] {"pw-newPassword", next},
                        new String[] {"pw-confirmPassword", again})) {
            WebElement input = driver.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        driver.findElement(By.id("save-password")).click();
    }

    /** Signs in as another account than admin. */
    private void signInAs(String username, String password) {
        wait.until(presenceOfElementLocated(By.id("login-form")));
        WebElement name = driver.findElement(By.id("username"));
        name.clear();
        name.sendKeys(username);
        signIn(password);
    }

    private void createUser(String username, String password, String role) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url("/api/v1/users")))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                """
                                                {"username": "%s", "password": "%s", "role": "%s"}"""
                                                        .formatted(username, password, role))));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    /** The account as GET /api/v1/users lists it. */
    private JsonNode user(String username) throws Exception {
        for (JsonNode u : json.readTree(get("/api/v1/users"))) {
            if (u.path("username").asString().equals(username)) {
                return u;
            }
        }
        throw new AssertionError("no user " + username);
    }

    /** The status of a GET with the given key instead of the admin key. */
    private int withKey(String secret, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .header("Authorization", "Bearer " + secret)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private List<String> stepStatuses() {
        return driver.findElements(By.cssSelector("#ramp-timeline li")).stream()
                .map(li -> li.getAttribute("data-status"))
                .toList();
    }

    /** Accepts the confirmation the page asks for, after checking its question. */
    private void acceptConfirm(String question) {
        Alert alert = wait.until(alertIsPresent());
        assertThat(alert.getText()).startsWith(question);
        alert.accept();
    }

    /**
     * Exposes units {@code <experiment>-u0…} and sends their events, now: {@code impressions} per
     * unit by arm and index, a purchase for those {@code converts} says; even units on the feed,
     * odd ones in search. Units the experiment does not admit get no events.
     */
    private void traffic(
            String experiment,
            int units,
            ToIntBiFunction<String, Integer> impressions,
            BiPredicate<String, Integer> converts)
            throws Exception {
        List<String> events = new ArrayList<>();
        for (int from = 0; from < units; from += 200) {
            StringBuilder batch = new StringBuilder();
            for (int i = from; i < Math.min(units, from + 200); i++) {
                batch.append(i == from ? "" : ",")
                        .append(
                                "{\"attributes\": {\"userId\": \"%s-u%d\"}}"
                                        .formatted(experiment, i));
            }
            JsonNode results =
                    json.readTree(
                                    postJson(
                                            "/api/v1/assign/batch",
                                            "{\"units\": ["
                                                    + batch
                                                    + "], \"experiments\": [\""
                                                    + experiment
                                                    + "\"]}"))
                            .path("results");
            String now = Instant.now().toString();
            for (int i = from; i < Math.min(units, from + 200); i++) {
                JsonNode assignment = results.path(i - from).path("assignments").path(0);
                if (!assignment.path("inExperiment").asBoolean()) {
                    continue;
                }
                String arm = assignment.path("arm").asString();
                String unit = experiment + "-u" + i;
                String scenario = i % 2 == 0 ? "feed" : "search";
                int count = impressions.applyAsInt(arm, i);
                for (int k = 0; k < count; k++) {
                    events.add(
                            """
                            {"eventId": "%s-imp-%d", "type": "impression", "unitId": "%s", "timestamp": "%s", "scenario": "%s"}"""
                                    .formatted(unit, k, unit, now, scenario));
                }
                if (converts.test(arm, i)) {
                    events.add(
                            """
                            {"eventId": "%s-conv", "type": "conversion", "unitId": "%s", "timestamp": "%s", "scenario": "%s",
                             "conversionType": "purchase", "value": 10}"""
                                    .formatted(unit, unit, now, scenario));
                }
            }
        }
        for (int from = 0; from < events.size(); from += 300) {
            postJson(
                    "/api/v1/events",
                    "{\"events\": ["
                            + String.join(
                                    ",", events.subList(from, Math.min(events.size(), from + 300)))
                            + "]}");
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(path))).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private String postJson(String path, String body) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private void signIn(String password) {
        wait.until(presenceOfElementLocated(By.id("login-form")));
        WebElement field = driver.findElement(By.id("password"));
        field.clear();
        field.sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void createByApi(String json) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url("/api/v1/experiments")))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private void post(String path) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                request.header("Authorization", "Bearer " + ApiClient.ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
