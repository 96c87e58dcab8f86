package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.splitrank.app.webhook.WebhookAddresses;
import io.splitrank.app.webhook.WebhookProperties;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The webhook call itself, against a receiver on 127.0.0.1: signed over the exact bytes sent, and
 * never made to a private address unless {@code splitrank.webhooks.allow-private} says so.
 */
class ReportWebhookTest {

    HttpServer receiver;
    final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    final List<String> signatures = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/hook",
                exchange -> {
                    bodies.add(exchange.getRequestBody().readAllBytes());
                    signatures.add(exchange.getRequestHeaders().getFirst("X-Splitrank-Signature"));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
    }

    private String url(String host) {
        return "http://" + host + ":" + receiver.getAddress().getPort() + "/hook";
    }

    /** A webhook with the default settings, calling on the caller's thread. */
    private static ReportWebhook webhook(boolean allowPrivate) {
        ReportProperties properties =
                new Binder(new MapConfigurationPropertySource(Map.of()))
                        .bindOrCreate("splitrank.reports", ReportProperties.class);
        return new ReportWebhook(
                properties,
                Runnable::run,
                new WebhookAddresses(new WebhookProperties(allowPrivate)));
    }

    @Test
    void aPrivateAddressIsNotCalledUnlessAllowed() {
        ReportWebhook refusing = webhook(false);
        assertThat(refusing.deliver(url("127.0.0.1"), "{\"event\":\"ramp\"}", "s3cret")).isFalse();
        assertThat(refusing.deliver(url("localhost"), "{\"event\":\"ramp\"}", "s3cret")).isFalse();
        refusing.send(url("127.0.0.1"), "{\"event\":\"decision\"}", "s3cret");
        assertThat(bodies).as("the receiver on 127.0.0.1 was never called").isEmpty();

        assertThat(webhook(true).deliver(url("127.0.0.1"), "{\"event\":\"ramp\"}", "s3cret"))
                .isTrue();
        assertThat(bodies).hasSize(1);
    }

    @Test
    void everyCallIsSignedWithHmacSha256OfTheExactBodyBytes() throws Exception {
        String json = "{\"experiment\":\"zürich-ranker\",\"at\":\"2026-11-22T10:00:00Z\"}";
        assertThat(webhook(true).deliver(url("127.0.0.1"), json, "s3cret")).isTrue();

        byte[] received = bodies.get(0);
        assertThat(received).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        // what a receiver computes: HMAC-SHA256 keyed with the secret's UTF-8 bytes over the raw
        // body, lowercase hex, after "sha256=" (as GitHub's X-Hub-Signature-256)
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        assertThat(signatures.get(0))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(received)))
                .matches("sha256=[0-9a-f]{64}");
    }

    @Test
    void anExperimentWithoutASecretIsNotCalled() {
        assertThat(webhook(true).deliver(url("127.0.0.1"), "{}", null)).isFalse();
        assertThat(bodies).isEmpty();
    }
}
