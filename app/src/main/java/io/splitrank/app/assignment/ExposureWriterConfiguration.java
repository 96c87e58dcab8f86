package io.splitrank.app.assignment;

import io.splitrank.app.BackgroundThreads;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** The thread the {@link ExposureRecorder} writes on: one, so that batches are written in order. */
@Configuration(proxyBeanMethods = false)
class ExposureWriterConfiguration {

    static final String EXPOSURE_WRITER = "exposureWriter";

    /**
     * In the recorder's lifecycle phase: Spring stops a lifecycle bean's dependents first, and from
     * a later phase the executor would stop the recorder before the web server.
     */
    @Bean(name = EXPOSURE_WRITER, defaultCandidate = false)
    ThreadPoolTaskExecutor exposureWriter() {
        ThreadPoolTaskExecutor executor =
                BackgroundThreads.executor("exposure-writer", Duration.ofSeconds(30));
        executor.setPhase(ExposureRecorder.PHASE);
        return executor;
    }
}
