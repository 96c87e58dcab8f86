package io.splitrank.app.report;

import io.splitrank.app.problem.ApiProblemException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Live report streams (server-sent events). Subscribers of the same experiment, scenario and phase
 * share one group: every tick (at most once a second) computes the group's report once and sends it
 * to all of them only when its content changed (the freshness stamp alone does not count), so the
 * cost is per watched report, not per watcher. A comment line goes out as a heartbeat when nothing
 * else did for a while, so that proxies keep the connection open. Emitters leave their group on
 * completion, timeout or a failed send; an empty group is dropped. Runs on its own thread, not on
 * the shared scheduler, so a slow report never delays the aggregator or the exposure flush.
 */
@Component
class ReportStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReportStreams.class);

    /** Which report a subscriber watches (phase null: the current one). */
    record StreamKey(String experiment, String scenario, Integer phase) {}

    private static final class Group {
        final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
        volatile String lastContent;
        volatile long lastSentNanos = System.nanoTime();
    }

    private final ReportService reports;
    private final JsonMapper json;
    private final Duration timeout;
    private final Duration heartbeat;
    private final Map<StreamKey, Group> groups = new ConcurrentHashMap<>();
    private final Duration interval;
    private final TaskScheduler ticker;
    private ScheduledFuture<?> rounds;

    ReportStreams(
            ReportService reports,
            JsonMapper json,
            ReportProperties properties,
            @Qualifier(ReportConfiguration.STREAMS_TICKER) TaskScheduler ticker) {
        this.reports = reports;
        this.json = json;
        this.timeout = properties.streamTimeout();
        this.heartbeat = properties.streamHeartbeat();
        Duration interval = properties.streamInterval();
        this.interval =
                interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
        this.ticker = ticker;
    }

    /** Opens a stream and sends the current report on it; a 404 problem before the stream opens. */
    SseEmitter subscribe(StreamKey key) {
        ExperimentReport report = reports.report(key.experiment(), key.scenario(), key.phase());
        SseEmitter emitter = new SseEmitter(timeout.toMillis());
        Group group = groups.computeIfAbsent(key, k -> new Group());
        group.emitters.add(emitter);
        emitter.onCompletion(() -> leave(key, emitter));
        emitter.onTimeout(
                () -> {
                    leave(key, emitter);
                    emitter.complete();
                });
        emitter.onError(e -> leave(key, emitter));
        String content = content(report);
        if (group.lastContent == null) {
            group.lastContent = content;
        }
        send(key, emitter, json.writeValueAsString(report));
        return emitter;
    }

    /** Subscribers currently connected, all reports together. */
    int subscribers() {
        return groups.values().stream().mapToInt(g -> g.emitters.size()).sum();
    }

    /** One round: each watched report computed once, pushed to its subscribers when it changed. */
    void tick() {
        for (Map.Entry<StreamKey, Group> entry : groups.entrySet()) {
            StreamKey key = entry.getKey();
            Group group = entry.getValue();
            if (group.emitters.isEmpty()) {
                groups.remove(key, group);
                continue;
            }
            try {
                ExperimentReport report =
                        reports.report(key.experiment(), key.scenario(), key.phase());
                String content = content(report);
                if (!content.equals(group.lastContent)) {
                    group.lastContent = content;
                    String body = json.writeValueAsString(report);
                    group.emitters.forEach(e -> send(key, e, body));
                    group.lastSentNanos = System.nanoTime();
                } else if (System.nanoTime() - group.lastSentNanos >= heartbeat.toNanos()) {
                    group.emitters.forEach(e -> heartbeat(key, e));
                    group.lastSentNanos = System.nanoTime();
                }
            } catch (ApiProblemException e) {
                // the experiment or its phase went away: end the streams rather than retry forever
                group.emitters.forEach(SseEmitter::complete);
                groups.remove(key, group);
            } catch (RuntimeException e) {
                log.warn("report stream for {} failed this round; retrying next round", key, e);
            }
        }
    }

    private static String content(ExperimentReport report) {
        return report.withUpdatedAt(null).toString();
    }

    private void send(StreamKey key, SseEmitter emitter, String body) {
        try {
            emitter.send(SseEmitter.event().name("report").data(body));
        } catch (IOException | IllegalStateException e) {
            leave(key, emitter);
        }
    }

    private void heartbeat(StreamKey key, SseEmitter emitter) {
        try {
            emitter.send(SseEmitter.event().comment("heartbeat"));
        } catch (IOException | IllegalStateException e) {
            leave(key, emitter);
        }
    }

    private void leave(StreamKey key, SseEmitter emitter) {
        Group group = groups.get(key);
        if (group != null) {
            group.emitters.remove(emitter);
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
        rounds = ticker.scheduleWithFixedDelay(this::tick, Instant.now().plus(interval), interval);
    }

    /**
     * Ends every stream before the web server's graceful shutdown begins: an open stream is a
     * request in flight, and the server would otherwise wait its whole grace period for clients
     * that never hang up.
     */
    @Override
    public void stop() {
        running = false;
        if (rounds != null) {
            rounds.cancel(true);
            rounds = null;
        }
        groups.values().forEach(g -> g.emitters.forEach(SseEmitter::complete));
        groups.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // above the web server's graceful-shutdown phase, so this stops first
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
