package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlContains;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import io.splitrank.app.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The dashboard in a real headless Chromium against the whole application on a random port:
 * sign-in, the create form (models chosen from the registry) and its field errors, the lifecycle,
 * the coverage ramp, the audit log, the models page, arms whose model is not loaded, the results
 * panel fed with a fixture report, and the same panel updating live as events arrive. Screenshots
 * of each page go to target/screenshots.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DashboardBrowserTest {

    private static final String PASSWORD = "test-admin-password";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static HeadlessChromium chromium;

    @LocalServerPort int port;
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
        assertThat(
                        driver.findElement(
                                        By.cssSelector(
                                                ".metric-block[data-metric='cvr:purchase'] tr[data-arm='htlnet']"))
                                .getText())
                .contains("too few conversions");
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

    private void postJson(String path, String json) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
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
