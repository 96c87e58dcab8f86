package io.splitrank.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The Splitrank service: REST API, dashboard, ingestion, reports and model serving. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SplitrankApplication {

    public static void main(String[] args) {
        SpringApplication.run(SplitrankApplication.class, args);
    }
}
