package io.splitrank.app.report;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    ReportWebhook(
            ReportProperties properties,
            @Qualifier(ReportConfiguration.WEBHOOK_EXECUTOR) TaskExecutor sender) {
        this.timeout = properties.webhookTimeout();
        this.attempts = properties.webhookAttempts();
        this.retry =
                new RetryTemplate(
                        RetryPolicy.builder()
                                .maxRetries(attempts - 1)
                                .delay(properties.webhookBackoff())
                                .multiplier(2)
                                .includes(Exception.class)
                                .excludes(InterruptedException.class)
                                .build());
        this.sender = sender;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    /** Queues the call; returns at once. */
    void send(String url, String json) {
        try {
            sender.execute(() -> deliver(url, json));
        } catch (TaskRejectedException e) {
            // the application is shutting down
            log.warn("report webhook {} not called: {}", url, e.getMessage());
        }
    }

    /** Delivers with retries; true when the receiver answered 2xx. */
    boolean deliver(String url, String json) {
        HttpRequest request;
        try {
            request =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(timeout)
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "splitrank-reports")
                            .POST(HttpRequest.BodyPublishers.ofString(json))
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
                            response = http.send(request, HttpResponse.BodyHandlers.discarding());
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
