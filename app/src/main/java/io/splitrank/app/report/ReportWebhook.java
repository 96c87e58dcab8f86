package io.splitrank.app.report;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * POSTs a snapshot's JSON summary to the experiment's {@code analysis.webhookUrl}, off the caller's
 * thread, with a short timeout and a few attempts, each failure logged. The snapshot is committed
 * before the call is even queued, so a failing or slow webhook never loses or delays a report.
 */
@Component
class ReportWebhook implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReportWebhook.class);

    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "report-webhook");
        t.setDaemon(true);
        return t;
    });

    ReportWebhook(@Value("${splitrank.reports.webhook-timeout:3s}") Duration timeout,
            @Value("${splitrank.reports.webhook-attempts:3}") int attempts,
            @Value("${splitrank.reports.webhook-backoff:500ms}") Duration backoff) {
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Queues the call; returns at once. */
    void send(String url, String json) {
        sender.execute(() -> deliver(url, json));
    }

    /** Delivers with retries; true when the receiver answered 2xx. */
    boolean deliver(String url, String json) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json").header("User-Agent", "splitrank-reports")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        } catch (IllegalArgumentException e) {
            log.warn("report webhook {} is not a valid URL: {}", url, e.getMessage());
            return false;
        }
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    return true;
                }
                log.warn("report webhook {} answered {} (attempt {} of {})", url, response.statusCode(), attempt, attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                log.warn("report webhook {} failed (attempt {} of {}): {}", url, attempt, attempts, e.toString());
            }
            if (attempt < attempts) {
                try {
                    Thread.sleep(backoff.toMillis() * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        log.warn("report webhook {} gave up after {} attempts", url, attempts);
        return false;
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
    }
}
