package io.splitrank.app.assignment;

import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.app.ingest.EventProperties;
import io.splitrank.app.ingest.Timestamps;
import io.splitrank.app.problem.DependencyUnavailableException;
import io.splitrank.app.problem.FieldProblem;
import io.splitrank.app.problem.RequestBodyCheck;
import io.splitrank.experiments.Assignment;
import io.splitrank.experiments.AssignmentEngine;
import io.splitrank.experiments.Experiment;
import io.splitrank.experiments.PhaseHasher;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * First exposures seen by clients ({@code POST /api/v1/exposures}, from GrowthBook SDKs' tracking
 * callbacks), recorded exactly as the server's own: through the {@link ExposureRecorder}, once per
 * experiment, phase and unit. Before that each is checked against what {@code /assign} would have
 * said: the experiment must be running, the phase its current one, and the arm the one the phase's
 * hashing (layer and coverage included) gives the unit; otherwise it is rejected with its reason.
 * The targeting condition cannot be checked, since an exposure carries no attributes.
 *
 * <p>Malformed exposures (a missing field, an unreadable timestamp) make the whole batch a 400, as
 * {@code POST /api/v1/events} does; as a {@link RequestBodyCheck} their problems are named beside
 * those of a batch Jackson could read only in part.
 */
@Component
class ClientExposures implements RequestBodyCheck<ExposureController.ExposuresRequest> {

    private static final Logger log = LoggerFactory.getLogger(ClientExposures.class);

    static final int MAX_BATCH = 10_000;

    /** The exposure table's limit on unit ids; experiment and arm keys are far shorter. */
    static final int MAX_ID = 200;

    private final RunningExperiments running;
    private final ExperimentReadModel lookup;
    private final ExposureRecorder recorder;
    private final Clock clock;

    /** Clock skew tolerated, and the oldest exposure accepted: the events' settings. */
    private final Duration maxFuture;

    private final Duration maxAge;
    private final AssignmentEngine engine = new AssignmentEngine();

    ClientExposures(
            RunningExperiments running,
            ExperimentReadModel lookup,
            ExposureRecorder recorder,
            Clock clock,
            EventProperties events) {
        this.running = running;
        this.lookup = lookup;
        this.recorder = recorder;
        this.clock = clock;
        this.maxFuture = events.maxFuture();
        this.maxAge = events.maxAge();
    }

    /** A well-formed exposure of the batch. */
    record Parsed(int index, String experiment, int phase, String arm, String unitId, Instant at) {}

    /** An exposure that was not recorded, by its index in the batch. */
    record Rejection(int index, String reason) {}

    /** What became of a batch. */
    record Outcome(int accepted, int duplicates, List<Rejection> rejected) {}

    /** What is wrong with the batch's size (none, or more than 10,000 exposures), or null. */
    FieldProblem batchSize(List<ExposureController.ExposureJson> batch) {
        if (batch == null || batch.isEmpty()) {
            return new FieldProblem("exposures", "required: 1 to " + MAX_BATCH + " exposures");
        }
        if (batch.size() > MAX_BATCH) {
            return new FieldProblem(
                    "exposures",
                    "at most " + MAX_BATCH + " exposures per batch, got " + batch.size());
        }
        return null;
    }

    @Override
    public Class<ExposureController.ExposuresRequest> bodyType() {
        return ExposureController.ExposuresRequest.class;
    }

    @Override
    public void check(ExposureController.ExposuresRequest request, List<FieldProblem> problems) {
        FieldProblem size = batchSize(request.exposures());
        if (size != null) {
            problems.add(size);
            return;
        }
        Instant now = now();
        for (int i = 0; i < request.exposures().size(); i++) {
            validate(i, request.exposures().get(i), problems, now);
        }
    }

    /** The instant the timestamps of a batch are checked against (read once per batch). */
    Instant now() {
        return clock.instant();
    }

    /** The well-formed exposure, or null after adding its problems to {@code problems}. */
    Parsed validate(
            int index,
            ExposureController.ExposureJson json,
            List<FieldProblem> problems,
            Instant now) {
        if (json == null) {
            problems.add(new FieldProblem(field(index, ""), "required: an exposure object"));
            return null;
        }
        int before = problems.size();
        text(index, ".experiment", json.experiment(), problems);
        Integer phase = phase(index, json.phase(), problems);
        text(index, ".arm", json.arm(), problems);
        text(index, ".unitId", json.unitId(), problems);
        Instant at = timestamp(index, json.timestamp(), problems, now);
        if (problems.size() > before) {
            return null;
        }
        return new Parsed(index, json.experiment(), phase, json.arm(), json.unitId(), at);
    }

    /**
     * Checks each exposure against the running experiments and records the valid ones in one
     * statement; 503 when the database is unavailable (nothing recorded).
     */
    Outcome record(List<Parsed> exposures) {
        RunningExperiments.Snapshot snapshot = running.current();
        Map<Long, PhaseHasher> untargeted = new HashMap<>();
        Map<String, String> notRunning = new HashMap<>();
        List<Rejection> rejected = new ArrayList<>();
        List<ExposureRecorder.Exposure> valid = new ArrayList<>(exposures.size());
        for (Parsed p : exposures) {
            RunningExperiments.LiveExperiment live = snapshot.byKey().get(p.experiment());
            if (live == null) {
                rejected.add(
                        new Rejection(
                                p.index(),
                                notRunning.computeIfAbsent(p.experiment(), this::notRunning)));
                continue;
            }
            String reason = check(p, live, untargeted);
            if (reason != null) {
                rejected.add(new Rejection(p.index(), reason));
                continue;
            }
            valid.add(
                    new ExposureRecorder.Exposure(
                            live.id(),
                            p.phase(),
                            p.unitId(),
                            live.experiment().armIndex(p.arm()),
                            p.at()));
        }
        boolean[] inserted;
        try {
            inserted = recorder.recordNow(valid);
        } catch (DataAccessException e) {
            log.warn("Client exposures refused: {}", e.toString());
            throw new DependencyUnavailableException(
                    "the exposure log is unavailable; nothing was recorded, resend the batch");
        }
        int accepted = 0;
        for (boolean b : inserted) {
            if (b) {
                accepted++;
            }
        }
        return new Outcome(accepted, valid.size() - accepted, rejected);
    }

    /**
     * Why the exposure does not match what the experiment's hashing gives its unit, or null when it
     * does.
     */
    private String check(
            Parsed p, RunningExperiments.LiveExperiment live, Map<Long, PhaseHasher> untargeted) {
        Experiment e = live.experiment();
        if (p.phase() != e.phase()) {
            return "phase "
                    + p.phase()
                    + " is not current: experiment "
                    + e.key()
                    + " is in phase "
                    + e.phase();
        }
        int arm = e.armIndex(p.arm());
        if (arm < 0) {
            return "experiment " + e.key() + " has no arm " + p.arm();
        }
        // the condition needs the unit's attributes, which an exposure does not carry: hash only
        PhaseHasher hasher =
                untargeted.computeIfAbsent(
                        live.id(), id -> PhaseHasher.of(e.toBuilder().condition(Map.of()).build()));
        Assignment a = engine.assign(hasher, Map.of(e.hashAttribute(), p.unitId()), Map.of());
        if (!a.inExperiment()) {
            return "unit "
                    + p.unitId()
                    + " is not in experiment "
                    + e.key()
                    + " in phase "
                    + e.phase()
                    + " ("
                    + a.reason().name().toLowerCase(Locale.ROOT)
                    + ")";
        }
        if (a.armIndex() != arm) {
            return "arm "
                    + p.arm()
                    + " is not unit "
                    + p.unitId()
                    + "'s: in phase "
                    + e.phase()
                    + " of experiment "
                    + e.key()
                    + " its arm is "
                    + a.armKey();
        }
        return null;
    }

    private String notRunning(String key) {
        return lookup.status(key)
                .map(status -> "experiment " + key + " is " + status + ": it records no exposures")
                .orElse("no experiment with key " + key);
    }

    private static void text(int index, String name, String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            problems.add(new FieldProblem(field(index, name), "required"));
        } else if (value.length() > MAX_ID) {
            problems.add(new FieldProblem(field(index, name), "at most " + MAX_ID + " characters"));
        }
    }

    /**
     * The phase: a positive integer, given as a number or, as GrowthBook's rules give it, a string
     * of digits; null after adding a problem.
     */
    private static Integer phase(int index, JsonNode node, List<FieldProblem> problems) {
        if (node != null && node.isNumber() && node.canConvertToExactIntegral()) {
            double d = node.doubleValue();
            if (d >= 1 && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        } else if (node != null && node.isString()) {
            String s = node.asString();
            if (!s.isEmpty() && s.length() <= 9 && s.chars().allMatch(Character::isDigit)) {
                int phase = Integer.parseInt(s);
                if (phase >= 1) {
                    return phase;
                }
            }
        }
        problems.add(
                new FieldProblem(
                        field(index, ".phase"),
                        node == null || node.isNull()
                                ? "required: the phase the unit was hashed in"
                                : "must be a phase number from 1, e.g. 2 or \"2\""));
        return null;
    }

    /**
     * The timestamp: ISO-8601 with an offset, or epoch milliseconds (a number or a string of
     * digits), read as events' are ({@link Timestamps}), within {@code splitrank.events.max-age} in
     * the past and {@code max-future} in the future, as events; null after adding a problem.
     */
    private Instant timestamp(int index, JsonNode node, List<FieldProblem> problems, Instant now) {
        String name = field(index, ".timestamp");
        if (node == null || node.isNull()) {
            problems.add(
                    new FieldProblem(
                            name, "required: an ISO-8601 instant such as 2026-11-22T10:15:30Z"));
            return null;
        }
        Instant t = null;
        try {
            if (node.isNumber() && node.canConvertToExactIntegral()) {
                t = Instant.ofEpochMilli(node.longValue());
            } else if (node.isString()) {
                t = Timestamps.parse(node.asString());
            }
        } catch (DateTimeException | NumberFormatException e) {
            t = null;
        }
        if (t == null) {
            problems.add(
                    new FieldProblem(
                            name,
                            "not an ISO-8601 instant with offset such as 2026-11-22T10:15:30Z, nor"
                                    + " epoch milliseconds"));
            return null;
        }
        if (t.isAfter(now.plus(maxFuture))) {
            problems.add(new FieldProblem(name, "more than " + maxFuture + " in the future"));
            return null;
        }
        if (t.isBefore(now.minus(maxAge))) {
            problems.add(new FieldProblem(name, "older than " + maxAge.toDays() + " days"));
            return null;
        }
        return t;
    }

    private static String field(int index, String name) {
        return "exposures[" + index + "]" + name;
    }
}
