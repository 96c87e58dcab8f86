package io.splitrank.app.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook call, as GitHub signs its webhooks: header {@value #HEADER} with
 * {@code sha256=} and the lowercase hex of HMAC-SHA256, keyed with the UTF-8 bytes of the
 * experiment's secret, over the exact bytes of the body. The body is all that is signed; every body
 * carries the time it was written ({@code createdAt} of a snapshot, {@code at} of a decision or
 * ramp event), so a receiver that wants to refuse replays checks that time and the signature.
 */
public final class WebhookSignature {

    /** The header that carries the signature. */
    public static final String HEADER = "X-Splitrank-Signature";

    private static final String HMAC = "HmacSHA256";

    private WebhookSignature() {}

    /** {@code sha256=<hex of HMAC-SHA256(secret, body)>}. */
    public static String of(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            // every Java platform has HmacSHA256, and any non-empty key suits it
            throw new IllegalStateException("cannot compute HMAC-SHA256", e);
        }
    }
}
