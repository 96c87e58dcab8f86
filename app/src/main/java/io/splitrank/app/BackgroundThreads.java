package io.splitrank.app;

import java.time.Duration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The features' background threads, for their {@code @Bean} methods: each a single daemon thread (a
 * feature's jobs of one kind run one at a time, in order), named {@code <name>-1}, and shut down
 * with the application context, so that none outlives it. Declare them with
 * {@code @Bean(defaultCandidate = false)} and inject them by {@code @Qualifier}: they are not meant
 * for injection by type, and Spring Boot's shared executor and scheduler (for {@code @Scheduled}
 * and the like) stay in place.
 */
public final class BackgroundThreads {

    private BackgroundThreads() {}

    /**
     * An executor whose queued tasks still run when the context closes; its destruction waits at
     * most {@code awaitTermination} for them (the thread goes on, as a daemon, if they take
     * longer).
     */
    public static ThreadPoolTaskExecutor executor(String name, Duration awaitTermination) {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(1);
        executor.setMaxPoolSize(1);
        executor.setThreadNamePrefix(name + "-");
        executor.setDaemon(true);
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationMillis(awaitTermination.toMillis());
        return executor;
    }

    /**
     * A scheduler for periodic jobs. When the context closes, no further run starts: with {@code
     * finishRunning} a run under way completes, the destruction waiting at most {@code
     * awaitTermination} for it; without, the scheduler stops at the start of the close and
     * interrupts a run still going when it is destroyed.
     */
    public static ThreadPoolTaskScheduler scheduler(
            String name, boolean finishRunning, Duration awaitTermination) {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix(name + "-");
        scheduler.setDaemon(true);
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setWaitForTasksToCompleteOnShutdown(finishRunning);
        scheduler.setAwaitTerminationMillis(awaitTermination.toMillis());
        return scheduler;
    }
}
