package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.AttributionAggregator;
import io.splitrank.app.aggregate.MetricAggregates;
import io.splitrank.app.assignment.ExposureRecorder;
import io.splitrank.app.experiment.ExperimentReadModel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * splitrank.reports.slow-report and refresh-after, on reports of their own (the application's are
 * computed afresh, being fast): a slow report is served from its last computation and recomputed in
 * the background once older than refresh-after; a fast one is computed at every request.
 */
@PlatformTest
class SlowReportCacheTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired ExposureRecorder recorder;
    @Autowired AttributionAggregator aggregator;
    @Autowired ExperimentReadModel experiments;
    @Autowired MetricAggregates aggregates;
    @Autowired io.splitrank.app.aggregate.InterleavingCredits interleavingCredits;
    final SimpleAsyncTaskExecutor background = new SimpleAsyncTaskExecutor("slow-report-test-");

    /** Reports with the default settings but these two. */
    private ReportService reports(String slowReport, String refreshAfter) {
        ReportProperties properties =
                new Binder(
                                new MapConfigurationPropertySource(
                                        Map.of(
                                                "splitrank.reports.slow-report",
                                                slowReport,
                                                "splitrank.reports.refresh-after",
                                                refreshAfter)))
                        .bindOrCreate("splitrank.reports", ReportProperties.class);
        return new ReportService(
                experiments,
                aggregates,
                interleavingCredits,
                Clock.systemUTC(),
                properties,
                background,
                background);
    }

    private SimulatedTraffic start(String key) throws Exception {
        ApiClient api = new ApiClient(mvc);
        api.post("/api/v1/experiments", ApiClient.experiment(key, ""))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
        SimulatedTraffic traffic = new SimulatedTraffic(api, json, jdbc, recorder, key, 5L);
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            units.add(key + "-u" + i);
        }
        traffic.assign(units);
        moreEvents(traffic, "first");
        return traffic;
    }

    /** One more impression per unit, attributed before this returns. */
    private void moreEvents(SimulatedTraffic traffic, String batch) throws Exception {
        List<SimulatedTraffic.SimEvent> events = new ArrayList<>();
        traffic.exposures.forEach(
                (unit, x) ->
                        events.add(
                                new SimulatedTraffic.SimEvent(
                                        batch + "-" + unit,
                                        "impression",
                                        unit,
                                        x.exposedAt().plusSeconds(1),
                                        "home",
                                        null,
                                        null)));
        traffic.send(events, false);
        aggregator.processNow();
    }

    @Test
    void aSlowReportIsServedFromItsLastComputationUntilItIsOlderThanRefreshAfter()
            throws Exception {
        SimulatedTraffic traffic = start("slow-report-cached");
        // every report is slow (it takes at least 0 ms), and none is ever old enough to be
        // recomputed
        ReportService cached = reports("0ms", "1h");
        ExperimentReport first = cached.report("slow-report-cached", null, null);
        moreEvents(traffic, "second");
        assertThat(cached.report("slow-report-cached", null, null)).isSameAs(first);

        // no report is slow: each request computes it afresh
        ReportService fresh = reports("1h", "0ms");
        ExperimentReport now = fresh.report("slow-report-cached", null, null);
        assertThat(now.metrics()).isNotEqualTo(first.metrics());
        ExperimentReport again = fresh.report("slow-report-cached", null, null);
        assertThat(again).isNotSameAs(now);
        assertThat(again.metrics()).isEqualTo(now.metrics());
    }

    @Test
    void aSlowReportOlderThanRefreshAfterIsRecomputedInTheBackground() throws Exception {
        SimulatedTraffic traffic = start("slow-report-refreshed");
        ReportService reports = reports("0ms", "0ms");
        ExperimentReport first = reports.report("slow-report-refreshed", null, null);
        moreEvents(traffic, "second");
        ExperimentReport expected =
                reports("1h", "0ms").report("slow-report-refreshed", null, null);
        assertThat(expected.metrics()).isNotEqualTo(first.metrics());
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> reports.report("slow-report-refreshed", null, null).metrics(),
                        metrics -> metrics.equals(expected.metrics()));
    }
}
