package io.splitrank.app.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.app.PlatformTest;
import io.splitrank.app.database.SessionPriority;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Attribution yields the CPU to the sessions that acknowledge requests, on the embedded database.
 */
@PlatformTest
class AggregatorPriorityTest {

    @Autowired AttributionAggregator aggregator;
    @Autowired SessionPriority processes;
    @Autowired JdbcTemplate jdbc;

    private static int nice(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // after "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
        // cmajflt utime stime
        // cutime cstime priority nice
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }

    @Test
    void theAggregatorsDatabaseSessionRunsAtALowerPriorityThanThePools() throws Exception {
        aggregator.processNow();
        Integer backend =
                jdbc.queryForObject(
                        "select pid from pg_stat_activity where application_name = ?",
                        Integer.class,
                        "splitrank-aggregator");
        Integer pooled = jdbc.queryForObject("select pg_backend_pid()", Integer.class);
        assertThat(nice(backend)).isEqualTo(10);
        assertThat(nice(pooled)).isZero();
    }

    @Test
    void onlyBackendsOfTheEmbeddedServerAreTouched() throws Exception {
        long self = ProcessHandle.current().pid();
        int before = nice(self);
        assertThat(processes.lower((int) self, 5)).isFalse();
        assertThat(nice(self)).isEqualTo(before);
    }
}
