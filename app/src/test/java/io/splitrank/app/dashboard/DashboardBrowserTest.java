package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.urlContains;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real headless Chromium against the whole application on a random port:
 * sign-in, the create form (models chosen from the registry) and its field errors, the lifecycle,
 * the coverage ramp, the audit log, the models page, arms whose model is not loaded, the
 * experiments list's lifts and archived experiments, and the form's ramp plan, guardrail margins,
 * analysis options and sample size helper. Screenshots of each page go to target/screenshots.
 *
 * <p>The browser test classes share one application and database: none leaves a draft behind (the
 * list test filters on drafts), and none uses the home-feed layer.
 */
class DashboardBrowserTest extends DashboardBrowserSupport {
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
}
