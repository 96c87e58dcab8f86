package io.splitrank.app.ingest;

import java.sql.Date;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps monthly partitions of the event log ready for every timestamp ingestion accepts (from
 * {@code max-age} ago to a month ahead), at start and every few hours, so a COPY never meets a
 * missing partition.
 */
@Component
class EventPartitions implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(EventPartitions.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration maxAge;

    EventPartitions(JdbcTemplate jdbc, Clock clock, EventProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxAge = properties.maxAge();
    }

    @Override
    public void afterSingletonsInstantiated() {
        ensure();
    }

    @Scheduled(
            fixedDelayString = "${splitrank.events.partition-check-interval:6h}",
            initialDelayString = "${splitrank.events.partition-check-interval:6h}")
    void ensure() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = today.minusDays(maxAge.toDays() + 1);
        LocalDate to = today.plusMonths(1);
        Integer created =
                jdbc.queryForObject(
                        "select ensure_event_partitions(?, ?)",
                        Integer.class,
                        Date.valueOf(from),
                        Date.valueOf(to));
        if (created != null && created > 0) {
            log.info("Created {} event log partitions for {} to {}", created, from, to);
        }
    }
}
