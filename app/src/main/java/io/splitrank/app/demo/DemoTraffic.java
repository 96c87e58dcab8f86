package io.splitrank.app.demo;

import java.net.URI;
import java.time.Duration;
import java.util.List;
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
 * The demo's traffic: once the platform is ready, makes sure the experiment {@value #EXPERIMENT}
 * runs (control baseline; arms ektm, htlnet, aem2tl), ramps it 5% → 20% → 50% → 100% within its
 * first minute, and feeds it with the {@link TrafficSimulator} over the platform's own REST API at
 * a modest rate until shutdown.
 */
@Component
@ConditionalOnProperty(name = "splitrank.demo.enabled", havingValue = "true")
class DemoTraffic {

    static final String EXPERIMENT = "demo-ranking";
    static final List<String> MODELS = List.of("baseline", "ektm", "htlnet", "aem2tl");
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
                ramping 5% -> 100% within a minute, fed by the traffic simulator.
                ************************************************************""",
                url, environment.getProperty("splitrank.admin-password"), key, EXPERIMENT);
        worker = new Thread(() -> run(url, key), "demo-traffic");
        worker.setDaemon(true);
        worker.start();
    }

    private void run(URI url, String key) {
        SimulateCommand.PlatformClient platform = new SimulateCommand.PlatformClient(url, key);
        try {
            if (platform.ensureRunning(EXPERIMENT, MODELS, 0.05)) {
                Thread ramp = new Thread(() -> ramp(platform), "demo-ramp");
                ramp.setDaemon(true);
                ramp.start();
            }
            SimulationOptions options =
                    new SimulationOptions(
                            url,
                            key,
                            EXPERIMENT,
                            Integer.MAX_VALUE,
                            3,
                            rate,
                            null,
                            50,
                            4,
                            ThreadLocalRandom.current().nextLong(),
                            2);
            new TrafficSimulator(options).run(() -> stopping);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.error("Demo traffic stopped", e);
        }
    }

    private void ramp(SimulateCommand.PlatformClient platform) {
        try {
            for (double coverage : new double[] {0.2, 0.5, 1.0}) {
                Thread.sleep(rampStep.toMillis());
                if (stopping) {
                    return;
                }
                platform.ramp(EXPERIMENT, coverage);
                log.info("Demo: {} ramped to {}%", EXPERIMENT, Math.round(coverage * 100));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Demo ramp stopped: {}", e.toString());
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
