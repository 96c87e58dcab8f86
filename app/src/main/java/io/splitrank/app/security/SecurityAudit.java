package io.splitrank.app.security;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log of accounts and keys: who created, changed, disabled or revoked which, and when
 * (changes to experiments are in the experiment's own audit log).
 */
@Component
class SecurityAudit {

    /** One entry. */
    record Entry(long id, String actor, String action, String subject, Instant at, Object detail) {}

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;

    SecurityAudit(JdbcTemplate jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /** Records an action by the current caller (or "system" at start-up). */
    void record(String action, String subject, Map<String, Object> detail) {
        jdbc.update(
                "insert into security_audit (actor, action, subject, at, detail_json) values (?, ?,"
                        + " ?, ?, ?)",
                actor(),
                action,
                subject,
                Timestamp.from(clock.instant()),
                detail == null ? null : json.writeValueAsString(detail));
    }

    /** The newest entries first. */
    List<Entry> list(int limit) {
        return jdbc.query(
                "select id, actor, action, subject, at, detail_json from security_audit order by id"
                        + " desc limit ?",
                (rs, i) ->
                        new Entry(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getTimestamp(5).toInstant(),
                                rs.getString(6) == null
                                        ? null
                                        : json.readValue(rs.getString(6), Object.class)),
                limit);
    }

    static String actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? "system" : auth.getName();
    }
}
