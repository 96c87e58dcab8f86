package io.splitrank.app.database;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients of {@code POST /api/v1/events} that do what the API asks of a client: a batch that failed
 * in any way (no connection, a timeout, a 5xx) is sent again, the same events with the same ids,
 * until it is acknowledged with 200. Each client sends batches of new events until asked to stop,
 * then finishes the batch in hand. What they saw acknowledged is the set the platform must hold
 * afterwards: no more (a retry of a batch committed without an answer is a duplicate), no fewer.
 */
final class EventClients implements AutoCloseable {

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    private static final Pattern DUPLICATES = Pattern.compile("\"duplicates\"\\s*:\\s*(\\d+)");

    /** A unit the clients send events for, with the arm it was assigned (or null). */
    record Unit(String id, String arm) {}

    /** The events of one kind acknowledged for the units of one arm. */
    record Tally(long impressions, long clicks) {}

    private final URI endpoint;
    private final String key;
    private final List<Unit> units;
    private final int batchSize;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> attempted = ConcurrentHashMap.newKeySet();
    private final Map<String, long[]> perArm = new ConcurrentHashMap<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final List<String> refusals = new ArrayList<>();

    /**
     * @param baseUrl the platform, e.g. {@code http://localhost:8080} (kept across restarts)
     * @param key an API key that may send events
     * @param units the units events are for, taken in turn
     * @param batchSize events per batch
     */
    EventClients(URI baseUrl, String key, List<Unit> units, int batchSize) {
        this.endpoint = baseUrl.resolve("/api/v1/events");
        this.key = key;
        this.units = units;
        this.batchSize = batchSize;
    }

    void start(int clients) {
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> run(client), "event-client-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(int client) {
        long sequence = 0;
        int unitIndex = client;
        while (!stopping) {
            List<String> ids = new ArrayList<>(batchSize);
            List<Unit> of = new ArrayList<>(batchSize);
            List<Boolean> clicks = new ArrayList<>(batchSize);
            StringBuilder body = new StringBuilder("{\"events\": [");
            String now = Instant.now().toString();
            for (int i = 0; i < batchSize; i++) {
                Unit unit = units.get(unitIndex % units.size());
                unitIndex += 7;
                boolean click = (sequence + i) % 4 == 3;
                String id = "c" + client + "-" + (sequence + i);
                ids.add(id);
                of.add(unit);
                clicks.add(click);
                body.append(i == 0 ? "" : ",")
                        .append("{\"eventId\":\"")
                        .append(id)
                        .append("\",\"type\":\"")
                        .append(click ? "click" : "impression")
                        .append("\",\"unitId\":\"")
                        .append(unit.id())
                        .append("\",\"timestamp\":\"")
                        .append(now)
                        .append("\",\"scenario\":\"home\",\"itemId\":\"a1\",\"position\":1}");
            }
            body.append("]}");
            sequence += batchSize;
            attempted.addAll(ids);
            if (!sendUntilAcknowledged(body.toString())) {
                return;
            }
            acknowledged.addAll(ids);
            batches.incrementAndGet();
            for (int i = 0; i < ids.size(); i++) {
                if (of.get(i).arm() != null) {
                    long[] tally = perArm.computeIfAbsent(of.get(i).arm(), a -> new long[2]);
                    synchronized (tally) {
                        tally[clicks.get(i) ? 1 : 0]++;
                    }
                }
            }
        }
    }

    /** False only when the platform refused the batch itself (a 4xx): a bug, not a fault. */
    private boolean sendUntilAcknowledged(String body) {
        long backoff = 50;
        while (true) {
            String failure;
            try {
                HttpResponse<String> response =
                        http.send(
                                HttpRequest.newBuilder(endpoint)
                                        .timeout(Duration.ofSeconds(5))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    Matcher accepted = ACCEPTED.matcher(response.body());
                    Matcher duplicated = DUPLICATES.matcher(response.body());
                    if (accepted.find() && duplicated.find()) {
                        duplicates.addAndGet(Long.parseLong(duplicated.group(1)));
                        return true;
                    }
                    failure = "200 without counts";
                } else if (status >= 400 && status < 500 && status != 429 && status != 401) {
                    // 401 while a restarted app's key cache warms up would be a bug too, but it is
                    // retried and counted so that the test's message shows it
                    synchronized (refusals) {
                        refusals.add(status + " " + response.body());
                    }
                    return false;
                } else {
                    failure = "HTTP " + status;
                }
            } catch (IOException e) {
                failure = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            failedAttempts.incrementAndGet();
            failures.computeIfAbsent(failure, f -> new AtomicLong()).incrementAndGet();
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            backoff = Math.min(backoff * 2, 500);
        }
    }

    /** Lets each client finish the batch in hand (until it is acknowledged), then stop. */
    void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    boolean allStopped() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    Set<String> acknowledged() {
        return acknowledged;
    }

    Set<String> attempted() {
        return attempted;
    }

    long batches() {
        return batches.get();
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    Map<String, AtomicLong> failures() {
        return failures;
    }

    List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    Map<String, Tally> perArm() {
        Map<String, Tally> out = new ConcurrentHashMap<>();
        perArm.forEach((arm, t) -> out.put(arm, new Tally(t[0], t[1])));
        return out;
    }

    /** A summary for messages and the reliability document. */
    String summary() {
        return "%d events acknowledged in %d batches; %d failed attempts retried %s; %d duplicates"
                .formatted(
                        acknowledged.size(), batches(), failedAttempts(), failures, duplicates());
    }

    @Override
    public void close() {
        stopping = true;
        threads.forEach(Thread::interrupt);
    }
}
