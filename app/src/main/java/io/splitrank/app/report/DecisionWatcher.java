package io.splitrank.app.report;

import io.splitrank.app.experiment.ExperimentRamps;
import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.stats.SrmResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches every running experiment's decision, every {@code splitrank.reports.decision-check}:
 * sends a {@code decision} event to the experiment's webhook when the outcome changes, and follows
 * its ramp plan. The plan advances to its next step once the current one has run its minimum
 * duration and minimum of exposed units with no harm shown (the decision is not rollback, so SRM
 * holds and no guardrail's always-valid interval lies below 0); it rolls back as soon as the
 * decision is rollback. The always-valid tests make checking at every pass sound. Each action is
 * taken through {@link ExperimentRamps}, which records it in the audit log with its evidence, and
 * is sent to the webhook as a {@code ramp} event.
 *
 * <p>Several nodes may watch at once: an action takes effect only if the experiment is still at the
 * step the node saw, and a decision change is sent by the node whose update changed the stored
 * outcome.
 */
@Component
class DecisionWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DecisionWatcher.class);

    private final ExperimentReadModel settingsReader;
    private final ReportService reports;
    private final ExperimentRamps ramps;
    private final ReportWebhook webhook;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final TaskScheduler ticker;
    private final Duration check;
    private final boolean enabled;
    private ScheduledFuture<?> checks;
    private volatile boolean running;

    DecisionWatcher(
            ExperimentReadModel settingsReader,
            ReportService reports,
            ExperimentRamps ramps,
            ReportWebhook webhook,
            JdbcTemplate jdbc,
            JsonMapper json,
            Clock clock,
            ReportProperties properties,
            @Qualifier(ReportConfiguration.DECISION_TICKER) TaskScheduler ticker) {
        this.settingsReader = settingsReader;
        this.reports = reports;
        this.ramps = ramps;
        this.webhook = webhook;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.ticker = ticker;
        this.check = properties.decisionCheck();
        this.enabled = properties.decisionsEnabled();
    }

    @Override
    public void start() {
        running = true;
        if (enabled) {
            checks =
                    ticker.scheduleWithFixedDelay(
                            this::scheduledTick, Instant.now().plus(check), check);
        }
    }

    private void scheduledTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("decision check failed; retrying at the next check", e);
        }
    }

    /** Checks every running experiment once; returns the automatic actions taken. */
    int tick() {
        int actions = 0;
        for (String key : settingsReader.runningKeys()) {
            try {
                if (check(key)) {
                    actions++;
                }
            } catch (RuntimeException e) {
                log.warn("decision check of experiment {} failed", key, e);
            }
        }
        return actions;
    }

    /** Checks one experiment; true when its ramp plan acted (advanced or rolled back). */
    boolean check(String key) {
        ExperimentSettings settings = settingsReader.settings(key, null);
        ExperimentReport report = reports.decisionReport(settings);
        ReportDecision decision = report.decision();
        recordDecision(settings, report, decision);
        ExperimentSettings.Ramp ramp = settings.ramp();
        if (ramp == null || !ramp.active() || !settings.status().equals("running")) {
            return false;
        }
        return follow(settings, report, decision, ramp);
    }

    private boolean follow(
            ExperimentSettings settings,
            ExperimentReport report,
            ReportDecision decision,
            ExperimentSettings.Ramp ramp) {
        String key = settings.key();
        int phase = settings.phase();
        int step = ramp.step();
        int steps = ramp.steps().size();
        ExperimentSettings.Step current = ramp.steps().get(step);
        List<Evidence> evidence = evidence(report, decision);
        if (decision.rollsBack()) {
            String reason =
                    "rolled back at step "
                            + (step + 1)
                            + " of "
                            + steps
                            + " ("
                            + percent(current.coverage())
                            + "): "
                            + String.join("; ", decision.reasons());
            if (!ramp.autoRollback()) {
                ramps.note(
                        key,
                        phase,
                        step,
                        decision.units(),
                        "harm shown, waiting for a person (autoRollback is off): "
                                + String.join("; ", decision.reasons()));
                return false;
            }
            if (ramps.rollback(key, phase, reason, evidence)) {
                log.warn("experiment {} {}", key, reason);
                sendRamp(settings, "rollback", step, current.coverage(), 0, reason, evidence);
                return true;
            }
            return false;
        }
        long baseline = ramp.stepUnits() == null ? decision.units() : ramp.stepUnits();
        long unitsInStep = Math.max(0, decision.units() - baseline);
        Duration elapsed = Duration.between(ramp.stepStartedAt(), clock.instant());
        boolean durationMet = elapsed.compareTo(current.minDuration()) >= 0;
        boolean unitsMet = unitsInStep >= current.minUnits();
        String progress =
                "step "
                        + (step + 1)
                        + " of "
                        + steps
                        + " ("
                        + percent(current.coverage())
                        + "): "
                        + seconds(elapsed)
                        + " of "
                        + seconds(current.minDuration())
                        + ", "
                        + unitsInStep
                        + " of "
                        + current.minUnits()
                        + " units, no harm shown"
                        + srm(report.srm());
        if (!(durationMet && unitsMet) || !ramp.autoAdvance()) {
            ramps.note(
                    key,
                    phase,
                    step,
                    decision.units(),
                    progress
                            + (durationMet && unitsMet
                                    ? "; minimums met, waiting for a person to advance"
                                    : ""));
            return false;
        }
        double next = ramp.steps().get(step + 1).coverage();
        String reason = progress + ": advanced to " + percent(next);
        if (ramps.advance(key, phase, step, decision.units(), reason, evidence)) {
            log.info("experiment {} {}", key, reason);
            sendRamp(
                    settings,
                    step + 2 == steps ? "complete" : "advance",
                    step + 1,
                    current.coverage(),
                    next,
                    reason,
                    evidence);
            return true;
        }
        return false;
    }

    /**
     * Stores the phase's outcome; when it changed (or a first outcome other than continue), sends a
     * {@code decision} event. The conditional upsert lets one node only see each change.
     */
    private void recordDecision(
            ExperimentSettings settings, ExperimentReport report, ReportDecision decision) {
        List<String> previous =
                jdbc.query(
                        "select outcome from decision_state where experiment_id = ? and phase = ?",
                        (rs, i) -> rs.getString(1),
                        settings.id(),
                        settings.phase());
        int changed =
                jdbc.update(
                        "insert into decision_state (experiment_id, phase, outcome, arm, decided_at)"
                                + " values (?, ?, ?, ?, ?)"
                                + " on conflict (experiment_id, phase) do update"
                                + " set outcome = excluded.outcome, arm = excluded.arm,"
                                + " decided_at = excluded.decided_at"
                                + " where decision_state.outcome is distinct from excluded.outcome"
                                + " or decision_state.arm is distinct from excluded.arm",
                        settings.id(),
                        settings.phase(),
                        decision.outcome(),
                        decision.arm(),
                        java.sql.Timestamp.from(clock.instant()));
        boolean first = previous.isEmpty();
        if (changed == 0
                || (first && decision.outcome().equals(ReportDecision.CONTINUE))
                || settings.options().webhookUrl() == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "decision");
        event.put("experiment", settings.key());
        event.put("phase", settings.phase());
        event.put("at", clock.instant().toString());
        event.put("previousOutcome", first ? null : previous.get(0));
        event.put("decision", decision);
        event.put("srm", report.srm());
        webhook.send(
                settings.options().webhookUrl(),
                json.writeValueAsString(event),
                settings.webhookSecret());
    }

    private void sendRamp(
            ExperimentSettings settings,
            String action,
            int step,
            double from,
            double to,
            String reason,
            List<Evidence> evidence) {
        if (settings.options().webhookUrl() == null) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "ramp");
        event.put("experiment", settings.key());
        event.put("phase", settings.phase());
        event.put("at", clock.instant().toString());
        event.put("action", action);
        event.put("step", step);
        event.put("fromCoverage", from);
        event.put("toCoverage", to);
        event.put("reason", reason);
        event.put("evidence", evidence);
        webhook.send(
                settings.options().webhookUrl(),
                json.writeValueAsString(event),
                settings.webhookSecret());
    }

    /**
     * The numbers an automatic action is taken on: the sample ratio check, the primary metric per
     * treatment, and every guardrail per treatment.
     *
     * @param metric a metric id, or "srm"
     * @param arm the treatment, or null for the sample ratio check
     * @param estimate the lift
     * @param ci its interval (the test the decision used)
     * @param pValue the p-value
     * @param margin a guardrail's non-inferiority margin
     * @param status the verdict (better, worse, inconclusive) or guardrail status (harm,
     *     non-inferior, pending), or mismatch / ok for the sample ratio
     */
    record Evidence(
            String metric,
            String arm,
            Double estimate,
            List<Double> ci,
            Double pValue,
            Double margin,
            String status) {}

    private static List<Evidence> evidence(ExperimentReport report, ReportDecision decision) {
        List<Evidence> evidence = new ArrayList<>();
        SrmResult srm = report.srm();
        if (srm != null) {
            evidence.add(
                    new Evidence(
                            "srm",
                            null,
                            null,
                            null,
                            srm.pValue(),
                            null,
                            srm.mismatch() ? "mismatch" : "ok"));
        }
        for (ReportDecision.Verdict v : decision.primary().arms()) {
            evidence.add(
                    new Evidence(
                            decision.primary().metric(),
                            v.arm(),
                            v.estimate(),
                            v.ci(),
                            v.pValue(),
                            null,
                            v.verdict()));
        }
        for (ReportDecision.Guardrail g : decision.guardrails()) {
            evidence.add(
                    new Evidence(
                            g.metric(),
                            g.arm(),
                            g.estimate(),
                            g.ci(),
                            g.pValue(),
                            g.margin(),
                            g.status()));
        }
        return evidence;
    }

    private static String srm(SrmResult srm) {
        return srm == null || srm.pValue() == null
                ? ""
                : String.format(Locale.ROOT, ", sample ratio holds (p = %.3g)", srm.pValue());
    }

    private static String percent(double coverage) {
        return String.format(Locale.ROOT, "%.4g%%", 100 * coverage);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    /** No further check; one under way completes (its thread's shutdown waits for it). */
    @Override
    public void stop() {
        running = false;
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
