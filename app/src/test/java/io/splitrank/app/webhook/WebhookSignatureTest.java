package io.splitrank.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signsLikeGitHubsDocumentedExample() {
        // GitHub Docs, "Validating webhook deliveries": secret "It's a Secret to Everybody",
        // payload
        // "Hello, World!"; the same value from OpenSSL 3.0.19:
        // echo -n "Hello, World!" | openssl dgst -sha256 -hmac "It's a Secret to Everybody"
        assertThat(
                        WebhookSignature.of(
                                "It's a Secret to Everybody",
                                "Hello, World!".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(
                        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void matchesRfc4231TestCase2() {
        // RFC 4231, section 4.3 (test case 2), HMAC-SHA-256
        assertThat(
                        WebhookSignature.of(
                                "Jefe",
                                "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(
                        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
