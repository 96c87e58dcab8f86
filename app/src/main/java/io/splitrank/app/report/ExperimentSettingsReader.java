package io.splitrank.app.report;

import io.splitrank.app.problem.ApiProblemException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an experiment's report settings straight from the configuration tables. The report reads
 * them with plain JDBC, as the aggregator reads {@code analysis_json}, rather than through the
 * experiment package's JPA types, which stay private to it; the JSON columns hold the experiment
 * document's {@code metrics}, {@code analysis} and a phase's arms as written by that package.
 */
@Component
class ExperimentSettingsReader {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ExperimentSettingsReader(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The settings of an experiment for one phase (null: the current one); 404 problem when unknown. */
    ExperimentSettings read(String key, Integer phase) {
        List<ExperimentSettings> found = jdbc.query("select id, key, status, phase, metrics_json, analysis_json,"
                + " updated_at from experiment where key = ?", (rs, i) -> {
                    long id = rs.getLong(1);
                    int current = rs.getInt(4);
                    Map<String, Object> metrics = parse(rs.getString(5));
                    Map<String, Object> analysis = parse(rs.getString(6));
                    Timestamp updated = rs.getTimestamp(7);
                    return new ExperimentSettings(id, rs.getString(2), rs.getString(3), current,
                            phase == null ? current : phase, List.of(),
                            string(metrics.get("primary"), "ecpm"), strings(metrics.get("secondary")),
                            strings(metrics.get("guardrails")), options(analysis),
                            updated == null ? null : updated.toInstant());
                }, key);
        if (found.isEmpty()) {
            throw ApiProblemException.notFound("no experiment with key " + key);
        }
        ExperimentSettings s = found.get(0);
        if (s.phase() < 1 || s.phase() > s.currentPhase()) {
            throw ApiProblemException.notFound("experiment " + key + " has no phase " + s.phase()
                    + " (its current phase is " + s.currentPhase() + ")");
        }
        List<ExperimentSettings.Arm> arms = phaseArms(s.id(), s.phase());
        return new ExperimentSettings(s.id(), s.key(), s.status(), s.currentPhase(), s.phase(), arms, s.primary(),
                s.secondary(), s.guardrails(), s.options(), s.updatedAt());
    }

    /** Keys of the running experiments, for the scheduler. */
    List<String> runningKeys() {
        return jdbc.queryForList("select key from experiment where status = 'running' order by id", String.class);
    }

    private List<ExperimentSettings.Arm> phaseArms(long id, int phase) {
        List<String> armsJson = jdbc.queryForList("select arms_json from experiment_phase where experiment_id = ?"
                + " and phase = ?", String.class, id, phase);
        List<ExperimentSettings.Arm> arms = new ArrayList<>();
        if (!armsJson.isEmpty()) {
            // a phase that started keeps the arms it hashed with, whatever the experiment says now
            for (Map<String, Object> a : json.readValue(armsJson.get(0), LIST)) {
                arms.add(new ExperimentSettings.Arm((String) a.get("key"), (String) a.get("model"),
                        number(a.get("weight"), 0)));
            }
            return arms;
        }
        jdbc.query("select key, model, weight from experiment_arm where experiment_id = ? order by position", rs -> {
            arms.add(new ExperimentSettings.Arm(rs.getString(1), rs.getString(2), rs.getDouble(3)));
        }, id);
        return arms;
    }

    private ExperimentSettings.Options options(Map<String, Object> a) {
        Object cap = a.get("capPercentile");
        return new ExperimentSettings.Options(number(a.get("alpha"), 0.05), string(a.get("differenceType"), "relative"),
                string(a.get("correction"), "holm"), (int) number(a.get("sequentialTuning"), 5000),
                cap == null ? null : ((Number) cap).doubleValue(), (int) number(a.get("cupedDays"), 0),
                string(a.get("reportCron"), null), string(a.get("webhookUrl"), null));
    }

    private Map<String, Object> parse(String text) {
        return text == null ? Map.of() : json.readValue(text, MAP);
    }

    private static String string(Object value, String fallback) {
        return value instanceof String s && !s.isBlank() ? s : fallback;
    }

    private static double number(Object value, double fallback) {
        return value instanceof Number n ? n.doubleValue() : fallback;
    }

    private static List<String> strings(Object value) {
        List<String> list = new ArrayList<>();
        if (value instanceof List<?> l) {
            l.forEach(x -> {
                if (x instanceof String s) {
                    list.add(s);
                }
            });
        }
        return list;
    }
}
