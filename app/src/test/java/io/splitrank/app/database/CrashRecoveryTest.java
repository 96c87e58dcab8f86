package io.splitrank.app.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default install (embedded PostgreSQL under {@code splitrank.data-dir}) against crashes, with
 * the application in JVMs of its own on one data directory:
 *
 * <ol>
 *   <li>a first start on a fresh directory; clients send events with retries;
 *   <li>SIGKILL of the JVM while they send: its PostgreSQL server survives it, still holding the
 *       directory; the next start shuts that server down and comes up with the data;
 *   <li>a further start while that one runs is refused at once with one line naming it;
 *   <li>SIGKILL of the JVM and of every server process at once (a cgroup kill): the next start
 *       recovers the database (PostgreSQL's crash recovery);
 *   <li>the events stored equal exactly the events the clients saw acknowledged;
 *   <li>SIGTERM during assignment load: every exposure of an acknowledged assignment is stored (the
 *       buffer is drained before the database stops).
 * </ol>
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class CrashRecoveryTest {

    private static final Logger log = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    static final String EXPERIMENT = "crash-test";

    private final Path root = Path.of("target", "crash-test", UUID.randomUUID().toString());
    private final Path dataDir = root.resolve("data").toAbsolutePath();
    private final Path pgData = dataDir.resolve("postgres");
    private final List<ChildApp> apps = new ArrayList<>();
    private EventClients clients;

    @AfterEach
    void cleanUp() throws Exception {
        if (clients != null) {
            clients.close();
        }
        for (ChildApp app : apps) {
            app.close();
        }
        // a server a killed app left behind: this JVM holds no lock on the directory
        if (Files.exists(pgData)) {
            LeftoverPostmaster.clear(
                    pgData,
                    dataDir.toString(),
                    new LeftoverPostmaster.Timeouts(
                            Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5)));
        }
    }

    private ChildApp start(String name, int port) throws IOException {
        ChildApp app =
                ChildApp.start(
                        name,
                        root,
                        Map.of(),
                        port,
                        "--splitrank.data-dir=" + dataDir,
                        "--splitrank.exposures.flush-interval=20ms");
        apps.add(app);
        return app;
    }

    @Test
    void theDefaultInstallComesBackAfterSigkillWithEverythingAcknowledged() throws Exception {
        int port = freePort();

        // 1. a first start, on a fresh directory
        ChildApp first = start("1-first-start", port);
        Duration firstStart = first.awaitHealthy(START_TIMEOUT);
        List<EventClients.Unit> units = createExperimentAndAssign(first, "u", 300);
        clients = new EventClients(first.uri(""), ChildApp.ADMIN_KEY, units, 25);
        clients.start(3);
        awaitBatches(30);

        // 2. SIGKILL while the clients send: the server outlives the app and holds the directory
        long orphan = LeftoverPostmaster.PidFile.read(pgData).orElseThrow().pid();
        first.kill();
        long killedAt = System.nanoTime();
        assertThat(LeftoverPostmaster.Proc.read(orphan))
                .as("the killed app's PostgreSQL server (pid %d) still runs", orphan)
                .isPresent();
        ChildApp second = start("2-after-sigkill", port);
        Duration secondStart = second.awaitHealthy(START_TIMEOUT);
        Duration downAfterSigkill = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(LeftoverPostmaster.Proc.read(orphan))
                .as("the orphaned server was shut down")
                .isEmpty();
        assertThat(second.log())
                .contains("PostgreSQL server pid " + orphan)
                .contains("left by a Splitrank that ended without stopping it")
                .containsPattern(
                        "PostgreSQL server pid " + orphan + " stopped \\(\\w+ shutdown\\)");
        HttpResponse<String> experiment = second.get("/api/v1/experiments/" + EXPERIMENT);
        assertThat(experiment.statusCode()).as(experiment.body()).isEqualTo(200);
        assertThat(JSON.readTree(experiment.body()).path("status").asString()).isEqualTo("running");
        long before = clients.batches();
        awaitBatches(before + 20);

        // 3. a third start while the second runs: refused at once, in one line
        long serverOfSecond = LeftoverPostmaster.PidFile.read(pgData).orElseThrow().pid();
        long refusedFrom = System.nanoTime();
        ChildApp third = start("3-while-second-runs", 0);
        int exit = third.awaitExit(START_TIMEOUT);
        Duration refusedIn = Duration.ofNanos(System.nanoTime() - refusedFrom);
        String refusal = third.log();
        assertThat(exit).as(refusal).isNotZero();
        assertThat(refusal)
                .contains(
                        "data directory "
                                + dataDir
                                + " is in use by a running Splitrank (pid "
                                + second.pid()
                                + "); stop it or use --splitrank.data-dir=")
                .contains("APPLICATION FAILED TO START")
                .doesNotContain("Is another postmaster")
                .doesNotContain("\tat ");
        assertThat(LeftoverPostmaster.PidFile.read(pgData).orElseThrow().pid())
                .as("the refused start left the running server alone")
                .isEqualTo(serverOfSecond);
        assertThat(second.get("/api/v1/experiments/" + EXPERIMENT).statusCode()).isEqualTo(200);

        // 4. SIGKILL of the app and of every server process at once (a cgroup's kill): the next
        //    start recovers the database from its write-ahead log
        List<Long> serverProcesses = LeftoverPostmaster.serverProcesses(pgData.toRealPath());
        assertThat(serverProcesses).contains(serverOfSecond);
        second.kill();
        for (long pid : serverProcesses) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        long allKilledAt = System.nanoTime();
        ChildApp fourth = start("4-after-killing-everything", port);
        Duration fourthStart = fourth.awaitHealthy(START_TIMEOUT);
        Duration downAfterKillAll = Duration.ofNanos(System.nanoTime() - allKilledAt);
        assertThat(fourth.log()).contains("database system was not properly shut down");
        before = clients.batches();
        awaitBatches(before + 20);

        // 5. exactly the acknowledged events are stored: none lost, none twice
        clients.stop(Duration.ofSeconds(60));
        assertThat(clients.allStopped()).as(clients.summary()).isTrue();
        assertThat(clients.refusals()).isEmpty();
        int pgPort = LeftoverPostmaster.PidFile.read(pgData).orElseThrow().port();
        try (Connection c = connect(pgPort)) {
            assertThat(single(c, "show fsync")).as("acknowledged means on disk").isEqualTo("on");
            assertThat(single(c, "show synchronous_commit")).isEqualTo("on");
            List<String> stored = strings(c, "select event_id from event");
            assertThat(stored).as("no event stored twice").doesNotHaveDuplicates();
            assertThat(new HashSet<>(stored))
                    .as("stored events = acknowledged events; " + clients.summary())
                    .isEqualTo(clients.acknowledged());
        }

        // 6. SIGTERM while assignments flow: every acknowledged exposure is stored
        Set<String> assigned = ConcurrentHashMap.newKeySet();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int thread = t;
            Thread loader =
                    new Thread(
                            () -> assignUntilRefused(fourth, "t" + thread + "-", assigned),
                            "assign-load-" + t);
            loader.start();
            load.add(loader);
        }
        awaitCondition(() -> assigned.size() >= 3_000, Duration.ofSeconds(60), "assignments");
        long terminatedAt = System.nanoTime();
        fourth.terminate();
        fourth.awaitExit(Duration.ofSeconds(90));
        Duration shutdown = Duration.ofNanos(System.nanoTime() - terminatedAt);
        for (Thread loader : load) {
            loader.join(30_000);
        }
        assertThat(fourth.log()).contains("Exposure buffer drained");
        assertThat(pgData.resolve(LeftoverPostmaster.PID_FILE))
                .as("the server was stopped cleanly")
                .doesNotExist();
        Set<String> exposed;
        try (EmbeddedPostgres reopened =
                EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .start()) {
            try (Connection c = reopened.getPostgresDatabase().getConnection()) {
                exposed =
                        new HashSet<>(
                                strings(
                                        c,
                                        "select x.unit_id from exposure x join experiment e on"
                                                + " e.id = x.experiment_id where e.key = '"
                                                + EXPERIMENT
                                                + "' and x.unit_id like 't%'"));
            }
        }
        assertThat(exposed)
                .as("exposures of the %d acknowledged assignments", assigned.size())
                .containsAll(assigned);

        log.info(
                "Crash recovery figures: first start {} ms; after SIGKILL of the app: start {} ms,"
                        + " down {} ms; refused in {} ms; after SIGKILL of everything: start {} ms,"
                        + " down {} ms; SIGTERM with {} acknowledged assignments: {} ms; clients: {}",
                firstStart.toMillis(),
                secondStart.toMillis(),
                downAfterSigkill.toMillis(),
                refusedIn.toMillis(),
                fourthStart.toMillis(),
                downAfterKillAll.toMillis(),
                assigned.size(),
                shutdown.toMillis(),
                clients.summary());
    }

    /** Creates and starts the test's experiment, and assigns {@code count} units; their arms. */
    static List<EventClients.Unit> createExperimentAndAssign(ChildApp app, String prefix, int count)
            throws Exception {
        HttpResponse<String> created =
                app.post(
                        "/api/v1/experiments",
                        """
                        {"key": "%s", "coverage": 1.0, "arms": [
                          {"key": "control", "model": "baseline", "weight": 0.5},
                          {"key": "ektm", "model": "ektm", "weight": 0.5}]}"""
                                .formatted(EXPERIMENT));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> started = app.post("/api/v1/experiments/" + EXPERIMENT + "/start", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        JsonNode results = assign(app, ids);
        List<EventClients.Unit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode assignment = results.get(i).path("assignments").get(0);
            assertThat(assignment.path("inExperiment").asBoolean())
                    .as(assignment.toString())
                    .isTrue();
            units.add(new EventClients.Unit(ids.get(i), assignment.path("arm").asString()));
        }
        return units;
    }

    private static JsonNode assign(ChildApp app, List<String> unitIds) throws Exception {
        StringBuilder body =
                new StringBuilder("{\"experiments\": [\"" + EXPERIMENT + "\"], \"units\": [");
        for (int i = 0; i < unitIds.size(); i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"attributes\": {\"userId\": \"")
                    .append(unitIds.get(i))
                    .append("\"}}");
        }
        body.append("]}");
        HttpResponse<String> response = app.post("/api/v1/assign/batch", body.toString());
        if (response.statusCode() != 200) {
            throw new IOException("assign: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("results");
    }

    /** Assigns batches of new units until the app stops answering; records the acknowledged. */
    private static void assignUntilRefused(ChildApp app, String prefix, Set<String> assigned) {
        for (int batch = 0; ; batch++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add(prefix + batch + "-" + i);
            }
            try {
                JsonNode results = assign(app, ids);
                for (int i = 0; i < ids.size(); i++) {
                    if (results.get(i)
                            .path("assignments")
                            .get(0)
                            .path("inExperiment")
                            .asBoolean()) {
                        assigned.add(ids.get(i));
                    }
                }
            } catch (Exception e) {
                return;
            }
        }
    }

    private void awaitBatches(long batches) throws InterruptedException {
        awaitCondition(
                () -> clients.batches() >= batches,
                Duration.ofSeconds(60),
                "acknowledged batches: " + clients.summary());
    }

    static void awaitCondition(BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }

    static String single(Connection c, String sql) throws SQLException {
        return strings(c, sql).get(0);
    }

    static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
