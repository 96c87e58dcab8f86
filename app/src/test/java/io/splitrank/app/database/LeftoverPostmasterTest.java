package io.splitrank.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LeftoverPostmaster} on real PostgreSQL servers and real processes: a stale {@code
 * postmaster.pid} (its pid dead, or reused by another process), a server that outlived the JVM that
 * started it, and a server whose JVM still runs.
 */
class LeftoverPostmasterTest {

    private static final LeftoverPostmaster.Timeouts QUICK =
            new LeftoverPostmaster.Timeouts(
                    Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofSeconds(5));

    @TempDir Path temp;
    Path pgData;
    private final List<AutoCloseable> cleanUp = new ArrayList<>();

    /** The directory of the PostgreSQL binaries the library unpacked. */
    Path binaries;

    @BeforeEach
    void initialiseADataDirectory() throws IOException {
        pgData = temp.resolve("postgres");
        // a data directory as a stopped server leaves it
        EmbeddedPostgres first = started(EmbeddedPostgres.builder());
        long pid = LeftoverPostmaster.PidFile.read(pgData).orElseThrow().pid();
        binaries = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe")).getParent();
        first.close();
    }

    @AfterEach
    void stopWhatIsLeft() throws Exception {
        for (int i = cleanUp.size() - 1; i >= 0; i--) {
            cleanUp.get(i).close();
        }
    }

    /**
     * {@code pg_ctl start}, as the library runs it, but from no JVM: the server runs detached, as
     * the one of a killed app does. Its exit code.
     */
    private int pgCtlStart(int port) throws IOException, InterruptedException {
        return PgCtl.run(binaries.resolve("pg_ctl"), pgData, "-o", "-p " + port, "-w", "start");
    }

    private EmbeddedPostgres started(EmbeddedPostgres.Builder builder) throws IOException {
        EmbeddedPostgres postgres =
                builder.setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .start();
        cleanUp.add(postgres);
        return postgres;
    }

    /** The pid file a running server wrote, with another pid in its first line. */
    private void fakePidFile(long pid) throws IOException {
        EmbeddedPostgres running = started(EmbeddedPostgres.builder());
        List<String> lines =
                Files.readAllLines(
                        pgData.resolve(LeftoverPostmaster.PID_FILE), StandardCharsets.UTF_8);
        running.close();
        assertThat(pgData.resolve(LeftoverPostmaster.PID_FILE)).doesNotExist();
        lines.set(0, Long.toString(pid));
        Files.write(pgData.resolve(LeftoverPostmaster.PID_FILE), lines, StandardCharsets.UTF_8);
    }

    private static void selectOne(int port) throws SQLException {
        try (Connection c =
                        DriverManager.getConnection(
                                "jdbc:postgresql://localhost:" + port + "/postgres",
                                "postgres",
                                "");
                Statement s = c.createStatement()) {
            s.execute("select 1");
        }
    }

    @Test
    void noPidFileNothingToDo() {
        assertThat(LeftoverPostmaster.clear(pgData, "data", QUICK))
                .isEqualTo(LeftoverPostmaster.Outcome.NONE);
    }

    @Test
    void aPidFileOfADeadProcessIsLeftToPostgresWhichRemovesItItself() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        fakePidFile(gone.pid());

        assertThat(LeftoverPostmaster.clear(pgData, "data", QUICK))
                .isEqualTo(LeftoverPostmaster.Outcome.STALE_LEFT_TO_POSTGRES);
        assertThat(pgData.resolve(LeftoverPostmaster.PID_FILE)).exists();

        EmbeddedPostgres postgres = started(EmbeddedPostgres.builder());
        selectOne(postgres.getPort());
    }

    @Test
    void aPidFileNamingAnotherLiveProcessIsRemovedAndThatProcessLeftAlone() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        cleanUp.add(unrelated::destroyForcibly);
        fakePidFile(unrelated.pid());

        assertThat(pgCtlStart(CrashRecoveryTest.freePort()))
                .as("PostgreSQL refuses: lock file \"postmaster.pid\" already exists")
                .isNotZero();

        assertThat(LeftoverPostmaster.clear(pgData, "data", QUICK))
                .isEqualTo(LeftoverPostmaster.Outcome.STALE_REMOVED);
        assertThat(pgData.resolve(LeftoverPostmaster.PID_FILE)).doesNotExist();
        assertThat(unrelated.isAlive()).isTrue();

        EmbeddedPostgres postgres = started(EmbeddedPostgres.builder());
        selectOne(postgres.getPort());
    }

    @Test
    void aServerThatOutlivedItsJvmIsShutDownFastWhenAClientHoldsOnToIt() throws Exception {
        int port = CrashRecoveryTest.freePort();
        assertThat(pgCtlStart(port)).isZero();
        long postmaster = LeftoverPostmaster.PidFile.read(pgData).orElseThrow().pid();
        cleanUp.add(() -> ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroyForcibly));
        assertThat(LeftoverPostmaster.PidFile.read(pgData).orElseThrow().port()).isEqualTo(port);
        // an idle session keeps a smart shutdown waiting: fast has to end it
        Connection client =
                DriverManager.getConnection(
                        "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
        cleanUp.add(client);

        assertThat(LeftoverPostmaster.clear(pgData, "data", QUICK))
                .isEqualTo(LeftoverPostmaster.Outcome.STOPPED);
        assertThat(LeftoverPostmaster.Proc.read(postmaster)).isEmpty();
        assertThat(pgData.resolve(LeftoverPostmaster.PID_FILE))
                .as("a clean shutdown removes it")
                .doesNotExist();
        assertThat(client.isValid(2)).isFalse();

        EmbeddedPostgres postgres = started(EmbeddedPostgres.builder());
        selectOne(postgres.getPort());
    }

    @Test
    void aServerOfALiveJvmIsNeverTouched() throws Exception {
        EmbeddedPostgres mine = started(EmbeddedPostgres.builder());
        long postmaster = LeftoverPostmaster.PidFile.read(pgData).orElseThrow().pid();
        assertThat(LeftoverPostmaster.lockHolder(pgData.resolve(LeftoverPostmaster.LIBRARY_LOCK)))
                .hasValue(ProcessHandle.current().pid());

        assertThatThrownBy(() -> LeftoverPostmaster.clear(pgData, "./data", QUICK))
                .isInstanceOf(DataDirectoryInUseException.class)
                .hasMessage(
                        "data directory ./data is in use: its PostgreSQL server (pid "
                                + postmaster
                                + ") belongs to the running process "
                                + ProcessHandle.current().pid()
                                + "; stop it or use --splitrank.data-dir=<another directory>");
        assertThat(LeftoverPostmaster.Proc.read(postmaster)).isPresent();
        selectOne(mine.getPort());
    }
}
