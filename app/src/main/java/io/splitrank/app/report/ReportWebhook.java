package io.splitrank.app.report;

import io.splitrank.app.webhook.WebhookAddresses;
import io.splitrank.app.webhook.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.TaskExecutor;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.stereotype.Component;

/**
 * POSTs a snapshot's JSON summary to the experiment's {@code analysis.webhookUrl}, off the caller's
 * thread, with a short timeout and a few attempts, each failure logged. The snapshot is committed
 * before the call is even queued, so a failing or slow webhook never loses or delays a report.
 *
 * <p>Every call is signed with the experiment's secret ({@link WebhookSignature}), and before every
 * attempt the host is resolved and the call refused (logged, not retried) if any of its addresses
 * is not public ({@link WebhookAddresses}), unless {@code splitrank.webhooks.allow-private=true}.
 *
 * <p>Residual risk, DNS rebinding: {@link HttpClient} resolves the host again itself and has no
 * hook to connect to the address checked here (pinning it would take the IP in the URL and the name
 * in a Host header, which the client refuses to set, and would break TLS name checks). What narrows
 * the gap is the JVM's cache of successful lookups ({@code networkaddress.cache.ttl}, 30 s by
 * default): the client's lookup, milliseconds after the check's, is answered from that cache, so a
 * name whose record flips between a public and a private address gets through only if the cached
 * entry expires exactly between the two. Redirects are never followed.
 */
@Component
class ReportWebhook {

    private static final Logger log = LoggerFactory.getLogger(ReportWebhook.class);

    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;

    /**
     * Any failure but an interruption is retried, after webhook-backoff, then twice as long each
     * time.
     */
    private final RetryTemplate retry;

    private final TaskExecutor sender;
    private final WebhookAddresses addresses;

    ReportWebhook(
            ReportProperties properties,
            @Qualifier(ReportConfiguration.WEBHOOK_EXECUTOR) TaskExecutor sender,
            WebhookAddresses addresses) {
        this.timeout = properties.webhookTimeout();
        this.attempts = properties.webhookAttempts();
        this.retry =
                new RetryTemplate(
                        RetryPolicy.builder()
                                .maxRetries(attempts - 1)
                                .delay(properties.webhookBackoff())
                                .multiplier(2)
                                .includes(Exception.class)
                                .excludes(
                                        InterruptedException.class,
                                        WebhookAddresses.RefusedAddressException.class)
                                .build());
        this.sender = sender;
        this.addresses = addresses;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** Queues the call, signed with the experiment's webhook secret; returns at once. */
    void send(String url, String json, String secret) {
        try {
            sender.execute(() -> deliver(url, json, secret));
        } catch (TaskRejectedException e) {
            // the application is shutting down
            log.warn("report webhook {} not called: {}", url, e.getMessage());
        }
    }

    /**
     * Delivers with retries; true when the receiver answered 2xx, false when it did not, or was not
     * called (an invalid URL, no secret, an address it may not reach).
     */
    boolean deliver(String url, String json, String secret) {
        if (secret == null || secret.isEmpty()) {
            log.warn("report webhook {} not called: the experiment has no webhook secret", url);
            return false;
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(timeout)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "splitrank-reports")
                            .header(WebhookSignature.HEADER, WebhookSignature.of(secret, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
        } catch (IllegalArgumentException e) {
            log.warn("report webhook {} is not a valid URL: {}", url, e.getMessage());
            return false;
        }
        int[] attempt = {0};
        try {
            return retry.execute(
                    () -> {
                        attempt[0]++;
                        HttpResponse<Void> response;
                        try {
                            // before every attempt: the name may resolve elsewhere by now
                            addresses.checkResolved(request.uri().getHost());
                            response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        } catch (WebhookAddresses.RefusedAddressException e) {
                            throw e;
                        } catch (InterruptedException e) {
                            throw e;
                        } catch (Exception e) {
                            log.warn(
                                    "report webhook {} failed (attempt {} of {}): {}",
                                    url,
                                    attempt[0],
                                    attempts,
                                    e.toString());
                            throw e;
                        }
                        if (response.statusCode() / 100 != 2) {
                            log.warn(
                                    "report webhook {} answered {} (attempt {} of {})",
                                    url,
                                    response.statusCode(),
                                    attempt[0],
                                    attempts);
                            throw new NotAccepted(response.statusCode());
                        }
                        return true;
                    });
        } catch (RetryException e) {
            if (e.getCause() instanceof WebhookAddresses.RefusedAddressException refused) {
                log.warn(
                        "report webhook {} not called: {} (splitrank.webhooks.allow-private is"
                                + " off)",
                        url,
                        refused.getMessage());
                return false;
            }
            if (e.getCause() instanceof InterruptedException
                    || Thread.currentThread().isInterrupted()) {
                Thread.currentThread().interrupt();
                return false;
            }
            log.warn("report webhook {} gave up after {} attempts", url, attempts);
            return false;
        }
    }

    /** The receiver answered, but not with 2xx. */
    private static final class NotAccepted extends RuntimeException {
        NotAccepted(int status) {
            super("answered " + status);
        }
    }
}
