package io.splitrank.app.demo;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The demo's traffic: once the platform is ready, makes sure two experiments run, each with a ramp
 * plan the platform follows by itself, and feeds them with the {@link TrafficSimulator} over the
 * platform's own REST API at a modest rate until shutdown:
 *
 * <ul>
 *   <li>{@value #EXPERIMENT} (control baseline; arms ektm, htlnet, aem2tl), ramped 5% → 20% → 50% →
 *       100% in steps of {@code splitrank.demo.ramp-step};
 *   <li>{@value #GUARDRAIL_EXPERIMENT} (control baseline; arm {@code random}, the reference ranker
 *       that ignores the ads' value), with CTR as a guardrail: its plan rolls it back to 0% as soon
 *       as the guardrail shows harm.
 * </ul>
 */
@Component
@ConditionalOnProperty(name = "splitrank.demo.enabled", havingValue = "true")
class DemoTraffic {

    static final String EXPERIMENT = "demo-ranking";
    static final List<String> MODELS = List.of("baseline", "ektm", "htlnet", "aem2tl");
    static final String GUARDRAIL_EXPERIMENT = "demo-guardrail";
    static final List<String> GUARDRAIL_MODELS = List.of("baseline", "random");
    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);

    private final Environment environment;
    private final double rate;
    private final Duration rampStep;
    private volatile boolean stopping;
    private Thread worker;

    DemoTraffic(Environment environment, DemoProperties properties) {
        this.environment = environment;
        this.rate = properties.rate();
        this.rampStep = properties.rampStep();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        String port = environment.getProperty("local.server.port", "8080");
        String key = environment.getProperty("splitrank.admin-key");
        URI url = URI.create("http://localhost:" + port);
        log.warn(
                """

                ************************************************************
                Splitrank demo: {}/  (dashboard login: admin / {})
                API key: {}
                Experiment {}: control = baseline; arms ektm, htlnet, aem2tl;
                its ramp plan takes it 5% -> 100% in steps of {}.
                Experiment {}: baseline against the random ranker, CTR as a
                guardrail: its ramp plan rolls it back once the harm shows.
                Both are fed by the traffic simulator.
                ************************************************************""",
                url,
                environment.getProperty("splitrank.admin-password"),
                key,
                EXPERIMENT,
                rampStep,
                GUARDRAIL_EXPERIMENT);
        worker = new Thread(() -> run(url, key), "demo-traffic");
        worker.setDaemon(true);
        worker.start();
    }

    private void run(URI url, String key) {
        SimulateCommand.PlatformClient platform = new SimulateCommand.PlatformClient(url, key);
        try {
            String step = rampStep.toMillis() + "ms";
            platform.ensureRunning(
                    EXPERIMENT,
                    MODELS,
                    Map.of(
                            "hypothesis",
                            "the model arms raise eCPM over the baseline",
                            "rampPlan",
                            plan(step, 0.05, 0.2, 0.5, 1.0)));
            platform.ensureRunning(
                    GUARDRAIL_EXPERIMENT,
                    GUARDRAIL_MODELS,
                    Map.of(
                            "hypothesis",
                            "ranking ads at random does not lower the click-through rate",
                            "metrics",
                            Map.of("primary", "ecpm", "guardrails", List.of("ctr")),
                            "rampPlan",
                            plan(step, 0.5, 1.0)));
            Thread guardrail =
                    new Thread(
                            () -> simulate(url, key, GUARDRAIL_EXPERIMENT, rate / 2),
                            "demo-traffic-guardrail");
            guardrail.setDaemon(true);
            guardrail.start();
            simulate(url, key, EXPERIMENT, rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("Demo traffic stopped", e);
        }
    }

    /** A ramp plan through these coverages, each step held for {@code minDuration}. */
    private static Map<String, Object> plan(String minDuration, double... coverages) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (double c : coverages) {
            steps.add(Map.of("coverage", c, "minDuration", minDuration));
        }
        return Map.of("steps", steps, "autoAdvance", true, "autoRollback", true);
    }

    private void simulate(URI url, String key, String experiment, double requestsPerSecond) {
        SimulationOptions options =
                new SimulationOptions(
                        url,
                        key,
                        experiment,
                        Integer.MAX_VALUE,
                        3,
                        requestsPerSecond,
                        null,
                        50,
                        4,
                        ThreadLocalRandom.current().nextLong(),
                        2);
        try {
            new TrafficSimulator(options).run(() -> stopping);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("Demo traffic of {} stopped", experiment, e);
        }
    }

    /**
     * On shutdown, before the web server stops: the simulator must not call a platform that is
     * going away.
     */
    @EventListener(ContextClosedEvent.class)
    void stop() throws InterruptedException {
        stopping = true;
        if (worker != null) {
            worker.join(5_000);
        }
    }
}
