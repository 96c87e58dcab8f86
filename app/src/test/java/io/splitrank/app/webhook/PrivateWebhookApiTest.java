package io.splitrank.app.webhook;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With {@code splitrank.webhooks.allow-private} off (the default; the other tests turn it on for
 * their receivers on 127.0.0.1), an experiment whose webhook points at localhost or a private
 * literal address is refused when it is created or edited, naming {@code analysis.webhookUrl}. That
 * nothing is called at delivery is {@code ReportWebhookTest}'s.
 */
@PlatformTest
@TestPropertySource(properties = "splitrank.webhooks.allow-private=false")
class PrivateWebhookApiTest {

    @Autowired MockMvc mvc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8080/hook",
                "http://10.1.2.3/hook",
                "http://169.254.169.254/latest/meta-data/",
                "http://[::1]/hook",
                "https://[fd00::1]/hook",
                "http://localhost:9000/hook"
            })
    void aWebhookAtAPrivateAddressIsRefusedWhenDefined(String url) throws Exception {
        String key = "private-hook-" + Math.abs(url.hashCode());
        api.post(
                        "/api/v1/experiments",
                        ApiClient.experiment(
                                key, "\"analysis\": {\"webhookUrl\": \"" + url + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("analysis.webhookUrl"))
                .andExpect(
                        jsonPath("$.errors[0].message")
                                .value(
                                        Matchers.containsString(
                                                "splitrank.webhooks.allow-private")));
        api.get("/api/v1/experiments/" + key).andExpect(status().isNotFound());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "http://LOCALHOST./hook"})
    void anEditThatPointsTheWebhookAtAPrivateAddressIsRefused(String url) throws Exception {
        String key = "public-hook-" + Math.abs(url.hashCode());
        api.post(
                        "/api/v1/experiments",
                        ApiClient.experiment(
                                key,
                                "\"analysis\": {\"webhookUrl\":"
                                        + " \"https://93.184.216.34/splitrank\"}"))
                .andExpect(status().isCreated());
        api.patch("/api/v1/experiments/" + key, "{\"analysis\": {\"webhookUrl\": \"" + url + "\"}}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("analysis.webhookUrl"))
                .andExpect(
                        jsonPath("$.errors[0].message").value(Matchers.containsString("loopback")));
        api.get("/api/v1/experiments/" + key)
                .andExpect(status().isOk())
                .andExpect(
                        jsonPath("$.analysis.webhookUrl").value("https://93.184.216.34/splitrank"));
    }
}
