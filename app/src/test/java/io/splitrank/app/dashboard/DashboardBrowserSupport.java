package io.splitrank.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;

import io.splitrank.app.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.ToIntBiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dashboard's browser tests share: one headless Chromium per test class against the whole
 * application on a random port (one application and database for every class, as Spring caches the
 * context), a fresh session per test, signing in, and calls to the API with the admin key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class DashboardBrowserSupport {
    static final String PASSWORD = "test-admin-password";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static HeadlessChromium chromium;

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

    /** The text of the element, read again if the page re-rendered it meanwhile. */
    String textOf(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** Accepts the confirmation the page asks for, after checking its question. */
    void acceptConfirm(String question) {
        Alert alert = wait.until(alertIsPresent());
        assertThat(alert.getText()).startsWith(question);
        alert.accept();
    }

    /**
     * Exposes units {@code <experiment>-u0…} and sends their events, now: {@code impressions} per
     * unit by arm and index, a purchase for those {@code converts} says; even units on the feed,
     * odd ones in search. Units the experiment does not admit get no events.
     */
    void traffic(
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

    String get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(path))).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    String postJson(String path, String body) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    void signIn(String password) {
        wait.until(presenceOfElementLocated(By.id("login-form")));
        WebElement field = driver.findElement(By.id("password"));
        field.clear();
        field.sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    void createByApi(String json) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url("/api/v1/experiments")))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    void post(String path) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(url(path)))
                                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(
                request.header("Authorization", "Bearer " + ApiClient.ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
