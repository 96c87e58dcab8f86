package io.splitrank.app.assignment;

import static io.splitrank.app.ApiClient.experiment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.problem.DependencyUnavailableException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/** A recorder of its own (not the application's), on the real database. */
@PlatformTest
class ExposureRecorderTest {

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;

    /**
     * Each recorder of the test writes on a thread of its own, not on the application's writer
     * thread.
     */
    final SimpleAsyncTaskExecutor writerThreads =
            new SimpleAsyncTaskExecutor("exposure-writer-test-");

    long experimentId;

    @BeforeEach
    void createExperiment() throws Exception {
        String key = "recorder-" + System.nanoTime();
        new ApiClient(mvc)
                .post("/api/v1/experiments", experiment(key, ""))
                .andExpect(status().isCreated());
        experimentId =
                jdbc.queryForObject("select id from experiment where key = ?", Long.class, key);
    }

    private int rows() {
        return jdbc.queryForObject(
                "select count(*) from exposure where experiment_id = ?",
                Integer.class,
                experimentId);
    }

    @Test
    void stoppingFlushesEverythingQueued() {
        ExposureRecorder recorder =
                new ExposureRecorder(
                        jdbc,
                        new ExposureProperties(1000, 100, Duration.ofHours(1)),
                        writerThreads);
        recorder.start();
        for (int i = 0; i < 250; i++) {
            recorder.record(
                    new ExposureRecorder.Exposure(experimentId, 1, "u" + i, i % 2, Instant.now()));
        }
        recorder.stop();
        assertThat(rows()).isEqualTo(250);
    }

    @Test
    void theFirstExposureWinsAndRepeatsAreIgnored() {
        ExposureRecorder recorder =
                new ExposureRecorder(
                        jdbc,
                        new ExposureProperties(1000, 100, Duration.ofHours(1)),
                        writerThreads);
        Instant first = Instant.parse("2026-11-01T10:00:00Z");
        recorder.record(new ExposureRecorder.Exposure(experimentId, 1, "same", 0, first));
        recorder.flush();
        ExposureRecorder afterRestart =
                new ExposureRecorder(
                        jdbc,
                        new ExposureProperties(1000, 100, Duration.ofHours(1)),
                        writerThreads);
        afterRestart.record(
                new ExposureRecorder.Exposure(experimentId, 1, "same", 1, first.plusSeconds(60)));
        afterRestart.flush();
        assertThat(rows()).isEqualTo(1);
        assertThat(
                        jdbc.queryForObject(
                                "select arm_index from exposure where experiment_id = ?",
                                Integer.class,
                                experimentId))
                .isZero();
    }

    @Test
    void aFullBufferRefusesWith503InsteadOfDropping() {
        ExposureRecorder recorder =
                new ExposureRecorder(
                        jdbc, new ExposureProperties(3, 100, Duration.ofHours(1)), writerThreads);
        for (int i = 0; i < 3; i++) {
            recorder.record(
                    new ExposureRecorder.Exposure(experimentId, 1, "f" + i, 0, Instant.now()));
        }
        assertThatThrownBy(
                        () ->
                                recorder.record(
                                        new ExposureRecorder.Exposure(
                                                experimentId, 1, "f3", 0, Instant.now())))
                // answered as 503 with Retry-After by the problem advice
                .isInstanceOf(DependencyUnavailableException.class);
        recorder.flush();
        assertThat(rows()).isEqualTo(3);
    }
}
