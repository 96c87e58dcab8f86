package io.splitrank.app.database;

import static io.splitrank.app.database.CrashRecoveryTest.awaitCondition;
import static io.splitrank.app.database.CrashRecoveryTest.connect;
import static io.splitrank.app.database.CrashRecoveryTest.freePort;
import static io.splitrank.app.database.CrashRecoveryTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault test of the reliability document: clients send events with retries (the same batch, the
 * same ids, until it is acknowledged) to the application on an external PostgreSQL, while the
 * application is killed with SIGKILL and restarted, and while the database crashes (an immediate
 * stop: no checkpoint, crash recovery at the next start) and comes back on the same directory and
 * port. Afterwards the stored events are exactly the set the clients saw acknowledged, none lost
 * and none twice, and the report counts each once.
 *
 * <p>The "external" database is a real PostgreSQL 17 server this test runs (the embedded library's
 * binaries, fsync on), reached by the application only through {@code SPRING_DATASOURCE_URL}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class AcknowledgedEventsFaultTest {

    private static final Logger log = LoggerFactory.getLogger(AcknowledgedEventsFaultTest.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Path root = Path.of("target", "fault-test", UUID.randomUUID().toString());
    private final Path dbData = root.resolve("external-postgres").toAbsolutePath();
    private final List<ChildApp> apps = new ArrayList<>();
    private EmbeddedPostgres database;
    private EventClients clients;

    @AfterEach
    void cleanUp() throws Exception {
        if (clients != null) {
            clients.close();
        }
        for (ChildApp app : apps) {
            app.close();
        }
        if (database != null) {
            database.close();
        }
        if (Files.exists(dbData)) {
            LeftoverPostmaster.clear(
                    dbData,
                    dbData.toString(),
                    new LeftoverPostmaster.Timeouts(
                            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5)));
        }
    }

    private EmbeddedPostgres startDatabase(int port) throws IOException {
        Files.createDirectories(dbData.getParent());
        return EmbeddedPostgres.builder()
                .setDataDirectory(dbData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setRegisterShutdownHook(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .start();
    }

    private ChildApp startApp(String name, int port, int dbPort) throws IOException {
        ChildApp app =
                ChildApp.start(
                        name,
                        root,
                        Map.of(
                                "SPRING_DATASOURCE_URL",
                                "jdbc:postgresql://localhost:" + dbPort + "/postgres",
                                "SPRING_DATASOURCE_USERNAME",
                                "postgres",
                                "SPRING_DATASOURCE_PASSWORD",
                                ""),
                        port);
        apps.add(app);
        return app;
    }

    @Test
    void storedEventsAreExactlyTheAcknowledgedThroughAppKillsAndADatabaseCrash() throws Exception {
        int dbPort = freePort();
        int port = freePort();
        database = startDatabase(dbPort);

        ChildApp first = startApp("fault-1-first-start", port, dbPort);
        first.awaitHealthy(START_TIMEOUT);
        List<EventClients.Unit> units =
                CrashRecoveryTest.createExperimentAndAssign(first, "u", 200);
        // the exposures are written and attributed before the faults begin
        awaitCondition(
                () -> reportUnits(first) == units.size(), Duration.ofSeconds(60), "exposed units");
        clients = new EventClients(first.uri(""), ChildApp.ADMIN_KEY, units, 20);
        clients.start(4);
        awaitBatches(40);

        // the application is killed and started again while the clients send
        first.kill();
        long killedAt = System.nanoTime();
        ChildApp second = startApp("fault-2-after-sigkill", port, dbPort);
        second.awaitHealthy(START_TIMEOUT);
        Duration appDown = Duration.ofNanos(System.nanoTime() - killedAt);
        awaitBatches(clients.batches() + 40);

        // the database crashes (immediate stop) and comes back on the same directory and port
        long acknowledgedBeforeCrash = clients.acknowledged().size();
        immediateStop(database);
        long crashedAt = System.nanoTime();
        database.close();
        database = null;
        Thread.sleep(3_000);
        database = startDatabase(dbPort);
        awaitBatches(clients.batches() + 40);
        Duration dbOutage = Duration.ofNanos(System.nanoTime() - crashedAt);

        // and the application is killed once more, right after the database came back
        second.kill();
        ChildApp third = startApp("fault-3-after-second-sigkill", port, dbPort);
        third.awaitHealthy(START_TIMEOUT);
        awaitBatches(clients.batches() + 40);

        clients.stop(Duration.ofSeconds(60));
        assertThat(clients.allStopped()).as(clients.summary()).isTrue();
        assertThat(clients.refusals()).isEmpty();
        assertThat(clients.failedAttempts())
                .as("the faults were felt: %s", clients.summary())
                .isPositive();
        assertThat(acknowledgedBeforeCrash).isLessThan(clients.acknowledged().size());

        try (Connection c = connect(dbPort)) {
            List<String> stored = strings(c, "select event_id from event");
            assertThat(stored).as("no event stored twice").doesNotHaveDuplicates();
            assertThat(new HashSet<>(stored))
                    .as("stored events = acknowledged events; " + clients.summary())
                    .isEqualTo(clients.acknowledged());
        }

        // the report counts each acknowledged event once, arm by arm
        Map<String, EventClients.Tally> sent = clients.perArm();
        try {
            awaitCondition(() -> reportMatches(third, sent), Duration.ofSeconds(60), "the report");
        } catch (AssertionError e) {
            throw new AssertionError(
                    "the report's ctr " + ctrArms(report(third)) + " against what was sent " + sent,
                    e);
        }

        log.info(
                "Fault test figures: app down after SIGKILL {} ms; database outage {} ms;"
                        + " clients: {}",
                appDown.toMillis(),
                dbOutage.toMillis(),
                clients.summary());
    }

    /** {@code pg_ctl stop -m immediate}: the server's processes quit at once, nothing flushed. */
    private void immediateStop(EmbeddedPostgres postgres) throws Exception {
        long postmaster = LeftoverPostmaster.PidFile.read(dbData).orElseThrow().pid();
        Path pgCtl =
                Files.readSymbolicLink(Path.of("/proc", Long.toString(postmaster), "exe"))
                        .resolveSibling("pg_ctl");
        assertThat(PgCtl.run(pgCtl, dbData, "-m", "immediate", "-w", "stop")).isZero();
        assertThat(LeftoverPostmaster.Proc.read(postmaster)).isEmpty();
    }

    private void awaitBatches(long batches) throws InterruptedException {
        awaitCondition(
                () -> clients.batches() >= batches,
                Duration.ofSeconds(90),
                "acknowledged batches: " + clients.summary());
    }

    private static JsonNode report(ChildApp app) throws Exception {
        HttpResponse<String> response =
                app.get("/api/v1/experiments/" + CrashRecoveryTest.EXPERIMENT + "/report");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode ctrArms(JsonNode report) {
        for (JsonNode metric : report.path("metrics")) {
            if (metric.path("metric").asString().equals("ctr")) {
                return metric.path("arms");
            }
        }
        throw new AssertionError("no ctr in " + report);
    }

    private static long reportUnits(ChildApp app) {
        try {
            long units = 0;
            for (JsonNode arm : ctrArms(report(app))) {
                units += arm.path("units").asLong();
            }
            return units;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean reportMatches(ChildApp app, Map<String, EventClients.Tally> sent) {
        try {
            JsonNode arms = ctrArms(report(app));
            int matched = 0;
            for (JsonNode arm : arms) {
                EventClients.Tally tally = sent.get(arm.path("key").asString());
                if (tally == null) {
                    continue;
                }
                if (arm.path("denominator").asDouble() != tally.impressions()
                        || arm.path("numerator").asDouble() != tally.clicks()) {
                    return false;
                }
                matched++;
            }
            return matched == sent.size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
