package io.splitrank.app;

import io.splitrank.app.demo.DemoMode;
import io.splitrank.app.demo.SimulateCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Splitrank service: REST API, dashboard, ingestion, reports and model serving. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SplitrankApplication {

    /**
     * Starts the platform; {@code --demo} starts it with a ready experiment fed by simulated
     * traffic, and {@code --simulate} runs only the traffic simulator against a platform running
     * elsewhere.
     */
    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--simulate")) {
            SimulateCommand.main(args);
            return;
        }
        SpringApplication.run(
                SplitrankApplication.class,
                DemoMode.requested(args) ? DemoMode.arguments(args) : args);
    }
}
