package io.splitrank.app.demo;

import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.LiveTraffic;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import io.splitrank.models.marketplace.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live traffic from the synthetic marketplace, driving a running platform through its public REST
 * API only: each simulated user (a unit of its own, behaving as a marketplace user drawn by
 * activity) makes rank requests in scenarios drawn by traffic share, each with K candidate ads
 * drawn uniformly from the catalogue (the same way whatever the arm); the top S of the answer are
 * shown, and what the user does with each (click, conversion of the ad's type, purchase amount) is
 * drawn from the world's ground truth and sent as impression, click and conversion events, the
 * conversion carrying what the ad's {@link Bid} charges as its {@code value}. There is no position
 * effect: a shown ad's click probability does not depend on its slot, the same for every arm.
 *
 * <p>Deterministic in its seed up to the arms' answers: each user's draws come from its own stream.
 */
public final class TrafficSimulator {

    private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);
    private static final int EVENT_BATCH = 2_000;

    private final SimulationOptions options;
    private final Marketplace world;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * Set when the caller stops the run: a platform shutting down is not retried, and nothing more
     * is sent.
     */
    private volatile BooleanSupplier stopped = () -> false;

    private final RetryTemplate retry =
            new RetryTemplate(
                    RetryPolicy.builder()
                            .predicate(
                                    e ->
                                            (e instanceof IOException || e instanceof Unavailable)
                                                    && !stopped.getAsBoolean())
                            .maxRetries(6)
                            .delay(Duration.ofMillis(200))
                            .multiplier(2)
                            .maxDelay(Duration.ofSeconds(5))
                            .build());
    private final SimulationTally tally = new SimulationTally();
    private final AtomicLong nextSlot = new AtomicLong();
    private final List<Map<String, Object>> pending = new ArrayList<>();

    /** A simulator of the default marketplace world, the one the shipped models were trained on. */
    public TrafficSimulator(SimulationOptions options) {
        this(options, new Marketplace(MarketplaceConfig.defaults()));
    }

    TrafficSimulator(SimulationOptions options, Marketplace world) {
        this.options = options;
        this.world = world;
    }

    /** What was sent so far. */
    public SimulationTally tally() {
        return tally;
    }

    /**
     * Runs every user (or until the duration ends) and sends the last events; when {@code stop}
     * says so (the platform is going away) it ends at once, without retries or a last batch.
     */
    public SimulationTally run(BooleanSupplier stop) throws InterruptedException {
        stopped = stop;
        Instant end =
                options.duration() == null ? Instant.MAX : Instant.now().plus(options.duration());
        BooleanSupplier done = () -> stop.getAsBoolean() || Instant.now().isAfter(end);
        AtomicLong nextUser = new AtomicLong();
        AtomicInteger threadNumber = new AtomicInteger();
        nextSlot.set(System.nanoTime());
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        options.threads(),
                        r -> {
                            Thread t = new Thread(r, "simulator-" + threadNumber.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        try {
            for (int t = 0; t < options.threads(); t++) {
                pool.submit(
                        () -> {
                            for (long n = nextUser.getAndIncrement();
                                    n < options.users() && !done.getAsBoolean();
                                    n = nextUser.getAndIncrement()) {
                                try {
                                    simulateUser(n, done);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    return;
                                } catch (RuntimeException e) {
                                    tally.errors.increment();
                                    log.warn("Simulated user {} failed: {}", n, e.toString());
                                }
                            }
                        });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
            if (!stop.getAsBoolean()) {
                flushEvents();
            }
        }
        return tally;
    }

    private void simulateUser(long n, BooleanSupplier done) throws InterruptedException {
        LiveTraffic traffic =
                new LiveTraffic(
                        world,
                        Marketplace.splitSeed(options.seed(), (int) (n % Integer.MAX_VALUE)));
        int user = traffic.drawUser();
        String unit = "sim" + options.seed() + "-" + n;
        String countedArm = null;
        for (int r = 0; r < options.requestsPerUser() && !done.getAsBoolean(); r++) {
            pace();
            LiveTraffic.Request request = traffic.nextRequest(user);
            int[] ads = traffic.drawCandidates(options.candidates());
            JsonNode answer = rank(unit, request, ads);
            if (answer == null) {
                tally.errors.increment();
                continue;
            }
            String arm =
                    answer.path("inExperiment").asBoolean()
                            ? answer.path("arm").asString()
                            : SimulationTally.OUTSIDE;
            SimulationTally.Arm counts = tally.arm(arm);
            if (!arm.equals(countedArm)) {
                counts.units.increment();
                countedArm = arm;
            }
            counts.requests.increment();
            String rankingId = answer.path("rankingId").asString();
            JsonNode items = answer.path("items");
            List<Map<String, Object>> events = new ArrayList<>();
            for (int slot = 0; slot < options.slots() && slot < items.size(); slot++) {
                String itemId = items.get(slot).path("itemId").asString();
                int ad = Integer.parseInt(itemId.substring(1));
                Outcome outcome = traffic.respond(request, ad);
                Shown shown =
                        new Shown(
                                rankingId,
                                slot + 1,
                                unit,
                                Instant.now().toString(),
                                request.scenarioName(),
                                itemId);
                events.add(shown.event("i", "impression", null, null));
                counts.impressions.increment();
                if (outcome.click()) {
                    events.add(shown.event("c", "click", null, null));
                    counts.clicks.increment();
                }
                if (outcome.conversion()) {
                    String type =
                            world.featureSpec().conversionTypes().get(world.conversionTypeOf(ad));
                    double charge = world.bidOf(ad).charge(outcome);
                    events.add(shown.event("v", "conversion", type, charge));
                    counts.conversions.computeIfAbsent(type, k -> new LongAdder()).increment();
                    counts.revenue.add(charge);
                }
            }
            queue(events);
        }
        tally.users.increment();
    }

    /** Spaces requests at the configured rate across all threads. */
    private void pace() throws InterruptedException {
        if (options.rate() <= 0) {
            return;
        }
        long interval = (long) (1e9 / options.rate());
        long slot = nextSlot.getAndAdd(interval);
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        } else if (wait < -1_000_000_000L) {
            // fell more than a second behind (slow answers): do not burst to catch up
            nextSlot.compareAndSet(slot + interval, System.nanoTime());
        }
    }

    private JsonNode rank(String unit, LiveTraffic.Request request, int[] ads) {
        Map<String, Object> attributes = new LinkedHashMap<>(request.userFeatures());
        attributes.put("userId", unit);
        attributes.put("scenario", request.scenarioName());
        List<Map<String, Object>> candidates = new ArrayList<>(ads.length);
        for (int ad : ads) {
            Map<String, Object> features = world.adFeatures(ad);
            Bid bid = world.bidOf(ad);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("itemId", features.get("ad_id"));
            c.put("bid", bid.amount());
            c.put("bidType", bid.onValue() ? "value" : "cpa");
            c.put("conversionType", features.get("conversion_type"));
            c.put("features", features);
            candidates.add(c);
        }
        Map<String, Object> body =
                Map.of(
                        "experiment",
                        options.experiment(),
                        "attributes",
                        attributes,
                        "candidates",
                        candidates);
        return post("/api/v1/rank", body).body();
    }

    /** One ad shown in one slot of one ranking: what its events have in common. */
    private record Shown(
            String rankingId,
            int position,
            String unit,
            String ts,
            String scenario,
            String itemId) {

        /** An event about the shown ad; its id is the ranking's, the slot's and the kind's. */
        Map<String, Object> event(String kind, String type, String conversionType, Double value) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("eventId", rankingId + "-" + position + "-" + kind);
            e.put("type", type);
            e.put("unitId", unit);
            e.put("timestamp", ts);
            e.put("scenario", scenario);
            e.put("itemId", itemId);
            e.put("rankingId", rankingId);
            e.put("position", position);
            if (conversionType != null) {
                e.put("conversionType", conversionType);
                e.put("value", value);
            }
            return e;
        }
    }

    private void queue(List<Map<String, Object>> events) {
        List<Map<String, Object>> batch = null;
        synchronized (pending) {
            pending.addAll(events);
            if (pending.size() >= EVENT_BATCH) {
                batch = new ArrayList<>(pending);
                pending.clear();
            }
        }
        if (batch != null) {
            send(batch);
        }
    }

    /** Sends the events still queued. */
    void flushEvents() {
        List<Map<String, Object>> batch;
        synchronized (pending) {
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<Map<String, Object>> batch) {
        // idempotent by eventId: a batch resent after a timeout is not counted twice
        Answer answer = post("/api/v1/events", Map.of("events", batch));
        if (answer.status() == 413 && batch.size() > 1) {
            // larger than the platform takes in one body: send it in halves
            send(batch.subList(0, batch.size() / 2));
            send(batch.subList(batch.size() / 2, batch.size()));
        } else if (answer.body() == null) {
            tally.errors.increment();
        } else {
            tally.events.add(
                    answer.body().path("accepted").asLong()
                            + answer.body().path("duplicates").asLong());
        }
    }

    /**
     * An answer: its status, and its body when it succeeded (null otherwise, or when nothing
     * answered).
     */
    private record Answer(int status, JsonNode body) {}

    /** POSTs JSON, retrying a refused connection or a 503; a failure is logged and has no body. */
    private Answer post(String path, Object body) {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(options.url() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + options.apiKey())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                        .build();
        try {
            return retry.execute(
                    () -> {
                        HttpResponse<String> response =
                                http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 503) {
                            throw new Unavailable(response.body());
                        }
                        if (response.statusCode() / 100 != 2) {
                            if (response.statusCode() != 413) {
                                log.warn(
                                        "POST {} answered {}: {}",
                                        path,
                                        response.statusCode(),
                                        response.body());
                            }
                            return new Answer(response.statusCode(), null);
                        }
                        return new Answer(response.statusCode(), json.readTree(response.body()));
                    });
        } catch (RetryException e) {
            log.warn(
                    "POST {} failed after retries: {}",
                    path,
                    e.getCause() == null ? e.toString() : e.getCause().toString());
            return new Answer(0, null);
        }
    }

    /** A 503: the platform asked to come back later. */
    private static final class Unavailable extends RuntimeException {
        Unavailable(String body) {
            super(body);
        }
    }
}
