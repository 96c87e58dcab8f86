package io.splitrank.app.assignment;

import io.splitrank.app.BackgroundThreads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * GrowthBook's SDK endpoints, so that every GrowthBook SDK works against Splitrank unchanged: the
 * features payload ({@code GET /api/features/{clientKey}}, with an ETag) and its streaming updates
 * ({@code GET /sub/{clientKey}}, server-sent events named {@code features} whose data is the new
 * payload, as GrowthBook's proxy sends them). The client key is an API key of scope {@code sdk} (or
 * one that includes it), taken from the path because the SDKs send no header; the security filter
 * authenticates it there.
 *
 * <p>The streams live here rather than in a component of their own because they are web plumbing
 * (the architecture keeps web types in controllers): a ticker looks at the running experiments once
 * a second, pushes the new payload to every stream when they changed, and sends a comment as a
 * heartbeat when nothing else went out for a while. The streams end when the application stops,
 * before the web server's graceful shutdown, and after {@link #STREAM_TIMEOUT} (the SDKs
 * reconnect).
 */
@RestController
@Tag(
        name = "GrowthBook SDKs",
        description =
                "GrowthBook's SDK payload and streaming updates, authenticated by the client key in the"
                        + " path (an API key of scope sdk); docs/sdk.md")
class FeaturesController implements SmartLifecycle {

    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

    /** The header with which GrowthBook's SDKs learn that the host streams updates. */
    static final String SSE_SUPPORT = "x-sse-support";

    private final SdkPayloads payloads;
    private final List<SseEmitter> streams = new CopyOnWriteArrayList<>();
    private volatile long streamedVersion = -1;
    private volatile long lastSentNanos = System.nanoTime();
    private volatile boolean running;
    private ThreadPoolTaskScheduler ticker;

    FeaturesController(SdkPayloads payloads) {
        this.payloads = payloads;
    }

    @GetMapping("/api/features/{clientKey}")
    @Operation(
            summary = "GrowthBook's SDK payload: each running experiment as a feature (ETag)",
            description =
                    "For GrowthBook SDKs (apiHost = this server, clientKey = an API key of scope sdk)."
                            + " Each running experiment is a feature named by its key whose value is the unit's"
                            + " arm key, with one experiment rule; a unit outside the experiment gets the"
                            + " control arm's key with inExperiment false. meta gives each arm's key and model."
                            + " 304 when If-None-Match names the current ETag.")
    ResponseEntity<String> features(
            @Parameter(description = "An API key of scope sdk (or writer, admin)") @PathVariable
                    String clientKey,
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        SdkPayloads.Rendered r = payloads.features();
        boolean unchanged = ifNoneMatch != null && ifNoneMatch.contains(r.etag());
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(unchanged ? HttpStatus.NOT_MODIFIED : HttpStatus.OK)
                        .eTag(r.etag())
                        .cacheControl(CacheControl.noCache().cachePrivate())
                        .header(SSE_SUPPORT, "enabled")
                        .header("Access-Control-Allow-Origin", "*")
                        .header("Access-Control-Expose-Headers", SSE_SUPPORT + ", ETag");
        return unchanged
                ? answer.build()
                : answer.contentType(MediaType.APPLICATION_JSON).body(r.body());
    }

    @GetMapping(path = "/sub/{clientKey}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "GrowthBook's streaming updates (server-sent events)",
            description =
                    "A features event with the current payload at once, then one with the new payload"
                            + " whenever the running experiments change; comments as heartbeats.")
    ResponseEntity<SseEmitter> subscribe(
            @Parameter(description = "An API key of scope sdk (or writer, admin)") @PathVariable
                    String clientKey) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        streams.add(emitter);
        emitter.onCompletion(() -> streams.remove(emitter));
        emitter.onTimeout(
                () -> {
                    streams.remove(emitter);
                    emitter.complete();
                });
        emitter.onError(e -> streams.remove(emitter));
        send(emitter, payloads.features().body());
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noCache())
                .header("Access-Control-Allow-Origin", "*")
                .header("X-Accel-Buffering", "no")
                .body(emitter);
    }

    /** Streams open now. */
    int subscribers() {
        return streams.size();
    }

    /** One round: the new payload to every stream when the running experiments changed. */
    void tick() {
        if (streams.isEmpty()) {
            return;
        }
        SdkPayloads.Rendered r = payloads.features();
        if (r.version() != streamedVersion) {
            streamedVersion = r.version();
            streams.forEach(e -> send(e, r.body()));
            lastSentNanos = System.nanoTime();
        } else if (System.nanoTime() - lastSentNanos >= HEARTBEAT.toNanos()) {
            streams.forEach(this::heartbeat);
            lastSentNanos = System.nanoTime();
        }
    }

    private void send(SseEmitter emitter, String payload) {
        try {
            emitter.send(SseEmitter.event().name("features").data(payload));
        } catch (IOException | IllegalStateException e) {
            streams.remove(emitter);
        }
    }

    private void heartbeat(SseEmitter emitter) {
        try {
            emitter.send(SseEmitter.event().comment("heartbeat"));
        } catch (IOException | IllegalStateException e) {
            streams.remove(emitter);
        }
    }

    @Override
    public void start() {
        ticker = BackgroundThreads.scheduler("sdk-streams", false, Duration.ofSeconds(5));
        ticker.initialize();
        ticker.scheduleWithFixedDelay(this::tick, Instant.now().plus(TICK), TICK);
        running = true;
    }

    /**
     * Ends every stream before the web server's graceful shutdown begins: an open stream is a
     * request in flight, which the server would otherwise wait for.
     */
    @Override
    public void stop() {
        running = false;
        if (ticker != null) {
            ticker.shutdown();
            ticker = null;
        }
        streams.forEach(SseEmitter::complete);
        streams.clear();
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
