package io.splitrank.app.experiment;

import io.splitrank.app.problem.ApiProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Defines and edits experiments, moves them through their life (draft, running, stopped, archived),
 * starts a new phase when an edit changes who lands in which arm, and writes every change to the
 * audit log.
 */
@Service
class ExperimentService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ExperimentRepository experiments;
    private final PhaseRepository phases;
    private final CoverageChangeRepository coverageChanges;
    private final AuditLogRepository audit;
    private final ExperimentValidator validator;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    ExperimentService(
            ExperimentRepository experiments,
            PhaseRepository phases,
            CoverageChangeRepository coverageChanges,
            AuditLogRepository audit,
            ExperimentValidator validator,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.experiments = experiments;
        this.phases = phases;
        this.coverageChanges = coverageChanges;
        this.audit = audit;
        this.validator = validator;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    ExperimentView create(ExperimentDocument request) {
        ExperimentDocument doc = validator.validate(request);
        if (experiments.existsByKey(doc.key())) {
            throw ApiProblemException.conflict(
                    "key", "an experiment with key " + doc.key() + " exists");
        }
        checkLayerOverlap(doc, null);
        Instant now = clock.instant();
        ExperimentEntity e = new ExperimentEntity();
        e.key = doc.key();
        e.status = ExperimentStatus.DRAFT;
        e.phase = 1;
        e.createdAt = now;
        e.owner = actor();
        e.webhookSecret = newWebhookSecret();
        apply(doc, e, now);
        experiments.save(e);
        ExperimentView after = view(e);
        record(e.key, "create", null, after);
        return after;
    }

    @Transactional(readOnly = true)
    List<ExperimentView> list(ExperimentStatus status, String layer) {
        return experiments.findAllByOrderByCreatedAtDesc().stream()
                .filter(e -> status == null || e.status == status)
                .filter(e -> layer == null || layer.equals(e.layer))
                .map(this::view)
                .toList();
    }

    @Transactional(readOnly = true)
    ExperimentView get(String key) {
        return view(find(key));
    }

    /** Applies a JSON merge patch (RFC 7396) to the experiment's document. */
    @Transactional
    ExperimentView patch(String key, Map<String, Object> mergePatch) {
        ExperimentEntity e = findOwned(key);
        if (e.status == ExperimentStatus.ARCHIVED) {
            throw ApiProblemException.conflict("status", "an archived experiment cannot change");
        }
        if (mergePatch.containsKey("key") && !key.equals(mergePatch.get("key"))) {
            throw ApiProblemException.badRequest("key", "the key of an experiment cannot change");
        }
        ExperimentView before = view(e);
        Map<String, Object> merged =
                JsonMergePatch.apply(json.convertValue(document(before), MAP), mergePatch);
        ExperimentDocument doc = validator.validate(JsonMergePatch.toDocument(json, merged));
        checkLayerOverlap(doc, e.id);
        boolean planChanged = !java.util.Objects.equals(before.rampPlan(), doc.rampPlan());
        if (planChanged && doc.rampPlan() != null && e.status == ExperimentStatus.RUNNING) {
            throw ApiProblemException.conflict(
                    "rampPlan",
                    "a running experiment's ramp plan cannot change: stop it, or remove the plan"
                            + " (rampPlan: null) to ramp by hand");
        }
        Instant now = clock.instant();
        boolean newPhase = e.startedAt != null && PhaseRules.needsNewPhase(document(before), doc);
        apply(doc, e, now);
        if (planChanged) {
            clearRamp(e);
        }
        if (newPhase) {
            phases.findById(new PhaseEntity.PhaseId(e.id, e.phase)).ifPresent(p -> p.endedAt = now);
            e.phase++;
            if (e.rampStep != null) {
                // the step goes on, counted in the new phase's units
                e.rampStepStartedAt = now;
                e.rampStepUnits = 0L;
            }
            if (e.status == ExperimentStatus.RUNNING) {
                openPhase(e, now, "new phase: " + String.join(", ", mergePatch.keySet()));
            }
        } else if (e.status == ExperimentStatus.RUNNING && before.coverage() != e.coverage) {
            recordCoverage(e, now, actor(), "edit");
        }
        experiments.saveAndFlush(e);
        ExperimentView after = view(e);
        record(key, newPhase ? "patch+new-phase" : "patch", before, after);
        return after;
    }

    @Transactional
    ExperimentView start(String key) {
        ExperimentEntity e = findOwned(key);
        if (e.status != ExperimentStatus.DRAFT && e.status != ExperimentStatus.STOPPED) {
            throw ApiProblemException.conflict(
                    "status",
                    "only a draft or stopped experiment can start (it is " + e.status.id() + ")");
        }
        return transition(e, ExperimentStatus.RUNNING, "start");
    }

    @Transactional
    ExperimentView stop(String key) {
        ExperimentEntity e = findOwned(key);
        if (e.status != ExperimentStatus.RUNNING) {
            throw ApiProblemException.conflict(
                    "status", "only a running experiment can stop (it is " + e.status.id() + ")");
        }
        return transition(e, ExperimentStatus.STOPPED, "stop");
    }

    @Transactional
    ExperimentView archive(String key) {
        ExperimentEntity e = findOwned(key);
        if (e.status == ExperimentStatus.RUNNING || e.status == ExperimentStatus.ARCHIVED) {
            throw ApiProblemException.conflict(
                    "status",
                    "stop the experiment before archiving it (it is " + e.status.id() + ")");
        }
        return transition(e, ExperimentStatus.ARCHIVED, "archive");
    }

    @Transactional(readOnly = true)
    List<AuditEntry> auditLog(String key) {
        find(key);
        return audit.findByExperimentKeyOrderByIdAsc(key).stream()
                .map(
                        a ->
                                new AuditEntry(
                                        a.id,
                                        a.actor,
                                        a.action,
                                        a.at,
                                        readTree(a.beforeJson),
                                        readTree(a.afterJson),
                                        a.reason,
                                        a.evidenceJson == null
                                                ? null
                                                : json.readValue(a.evidenceJson, Object.class)))
                .toList();
    }

    @Transactional(readOnly = true)
    List<PhaseView> phases(String key) {
        ExperimentEntity e = find(key);
        Map<Integer, List<PhaseView.CoverageChange>> history = new LinkedHashMap<>();
        for (CoverageChangeEntity c : coverageChanges.findByExperimentIdOrderByIdAsc(e.id)) {
            history.computeIfAbsent(c.phase, k -> new ArrayList<>())
                    .add(new PhaseView.CoverageChange(c.at, c.coverage, c.actor, c.reason));
        }
        return phases.findByExperimentIdOrderByPhase(e.id).stream()
                .map(
                        p -> {
                            List<PhaseView.CoverageChange> changes =
                                    history.getOrDefault(p.phase, List.of());
                            return new PhaseView(
                                    p.phase,
                                    p.hashSeed,
                                    List.of(
                                            json.readValue(
                                                    p.armsJson, ExperimentDocument.Arm[].class)),
                                    changes.isEmpty()
                                            ? p.coverage
                                            : changes.get(changes.size() - 1).coverage(),
                                    p.startedAt,
                                    p.endedAt,
                                    changes);
                        })
                .toList();
    }

    private ExperimentView transition(ExperimentEntity e, ExperimentStatus to, String action) {
        ExperimentView before = view(e);
        Instant now = clock.instant();
        if (to == ExperimentStatus.RUNNING) {
            if (e.startedAt == null) {
                e.startedAt = now;
            }
            e.stoppedAt = null;
            e.stopReason = null;
            Optional<PhaseEntity> current = phases.findById(new PhaseEntity.PhaseId(e.id, e.phase));
            if (current.isPresent() && current.get().endedAt != null) {
                // the stopped phase's results are final: a restart opens the next phase
                e.phase++;
                current = Optional.empty();
            }
            if (current.isEmpty()) {
                startRamp(e, now);
                openPhase(e, now, "start");
            }
        } else if (to == ExperimentStatus.STOPPED) {
            endPhase(e, now);
        }
        e.status = to;
        e.updatedAt = now;
        experiments.saveAndFlush(e);
        ExperimentView after = view(e);
        record(e.key, action, before, after);
        return after;
    }

    /** Ends the current phase: the experiment stops, and events after now never count. */
    private void endPhase(ExperimentEntity e, Instant now) {
        e.stoppedAt = now;
        phases.findById(new PhaseEntity.PhaseId(e.id, e.phase)).ifPresent(p -> p.endedAt = now);
    }

    /** A ramp plan starts over at its first step with each new phase. */
    private void startRamp(ExperimentEntity e, Instant now) {
        ExperimentDocument.RampPlan plan = rampPlan(e);
        if (plan == null) {
            clearRamp(e);
            return;
        }
        e.coverage = plan.steps().get(0).coverage();
        e.rampStep = 0;
        e.rampStepStartedAt = now;
        e.rampStepUnits = 0L;
        boolean last = plan.steps().size() == 1;
        e.rampState = last ? "complete" : plan.advances() ? "ramping" : "manual";
        e.rampReason = last ? "a one-step plan is complete at its start" : "step 1 started";
    }

    private static void clearRamp(ExperimentEntity e) {
        e.rampStep = null;
        e.rampStepStartedAt = null;
        e.rampStepUnits = null;
        e.rampState = null;
        e.rampReason = null;
    }

    private ExperimentDocument.RampPlan rampPlan(ExperimentEntity e) {
        return e.rampPlanJson == null
                ? null
                : json.readValue(e.rampPlanJson, ExperimentDocument.RampPlan.class);
    }

    private void recordCoverage(ExperimentEntity e, Instant now, String actor, String reason) {
        CoverageChangeEntity c = new CoverageChangeEntity();
        c.experimentId = e.id;
        c.phase = e.phase;
        c.at = now;
        c.coverage = e.coverage;
        c.actor = actor;
        c.reason = reason;
        coverageChanges.save(c);
    }

    /**
     * Moves a running experiment to the next step of its ramp plan, if it is still at {@code
     * fromStep} of {@code phase} (a concurrent action or edit wins otherwise); {@code units} are
     * the phase's exposed units now, the new step's starting count.
     */
    @Transactional
    boolean advanceRamp(
            String key,
            int phase,
            int fromStep,
            Long units,
            String actor,
            String reason,
            Object evidence) {
        ExperimentEntity e = find(key);
        ExperimentDocument.RampPlan plan = rampPlan(e);
        if (e.status != ExperimentStatus.RUNNING
                || e.phase != phase
                || plan == null
                || e.rampStep == null
                || e.rampStep != fromStep
                || fromStep + 1 >= plan.steps().size()) {
            return false;
        }
        ExperimentView before = view(e);
        Instant now = clock.instant();
        int next = fromStep + 1;
        boolean last = next == plan.steps().size() - 1;
        e.coverage = plan.steps().get(next).coverage();
        e.rampStep = next;
        e.rampStepStartedAt = now;
        e.rampStepUnits = units;
        e.rampState = last ? "complete" : plan.advances() ? "ramping" : "manual";
        e.rampReason = reason;
        e.updatedAt = now;
        recordCoverage(e, now, actor, reason);
        experiments.saveAndFlush(e);
        record(
                key,
                last ? "ramp-complete" : "ramp-advance",
                before,
                view(e),
                actor,
                reason,
                evidence);
        return true;
    }

    /**
     * Rolls a running experiment back: coverage 0, stopped (its phase ends now), the plan marked
     * rolled back, with the reason and evidence in the audit log. False when it is no longer
     * running in {@code phase}.
     */
    @Transactional
    boolean rollback(String key, int phase, String actor, String reason, Object evidence) {
        ExperimentEntity e = find(key);
        if (e.status != ExperimentStatus.RUNNING || e.phase != phase) {
            return false;
        }
        ExperimentView before = view(e);
        Instant now = clock.instant();
        e.coverage = 0;
        e.status = ExperimentStatus.STOPPED;
        endPhase(e, now);
        e.stopReason = reason;
        if (e.rampPlanJson != null) {
            e.rampState = "rolled-back";
            e.rampReason = reason;
        }
        e.updatedAt = now;
        recordCoverage(e, now, actor, "rollback: " + reason);
        experiments.saveAndFlush(e);
        record(key, "rollback", before, view(e), actor, reason, evidence);
        return true;
    }

    /** A person moves a manual ramp plan (or an automatic one, ahead of time) to its next step. */
    @Transactional
    ExperimentView advanceRampByHand(String key) {
        ExperimentEntity e = findOwned(key);
        ExperimentDocument.RampPlan plan = rampPlan(e);
        if (plan == null || e.rampStep == null) {
            throw ApiProblemException.conflict(
                    "rampPlan", "the experiment has no ramp plan under way");
        }
        if (e.status != ExperimentStatus.RUNNING || e.rampStep + 1 >= plan.steps().size()) {
            throw ApiProblemException.conflict(
                    "status", "only a running experiment before its plan's last step can advance");
        }
        // the units at the new step's start are taken by the watcher's next check
        advanceRamp(
                key,
                e.phase,
                e.rampStep,
                null,
                actor(),
                "advanced by hand to step " + (e.rampStep + 2) + " of " + plan.steps().size(),
                null);
        return view(find(key));
    }

    /**
     * Notes the last ramp check's finding, and the step's starting units when they were not known
     * (a step advanced by hand); a plain update that leaves the version alone, so that a note never
     * makes a person's concurrent edit fail, and no audit entry: nothing a person set changed.
     */
    @Transactional
    void noteRamp(String key, int phase, int step, long units, String reason) {
        experiments.noteRamp(key, phase, step, units, reason);
    }

    private void openPhase(ExperimentEntity e, Instant now, String reason) {
        PhaseEntity p = new PhaseEntity();
        p.experimentId = e.id;
        p.phase = e.phase;
        p.hashSeed = ExperimentMapping.toExperiment(e).phaseSeed();
        p.armsJson =
                json.writeValueAsString(
                        e.arms.stream()
                                .map(
                                        a ->
                                                new ExperimentDocument.Arm(
                                                        a.key, a.name, a.model, a.weight))
                                .toList());
        p.coverage = e.coverage;
        p.startedAt = now;
        phases.save(p);
        recordCoverage(e, now, actor(), reason);
    }

    private void checkLayerOverlap(ExperimentDocument doc, Long self) {
        if (doc.layer() == null) {
            return;
        }
        double start = doc.layerRange().get(0);
        double end = doc.layerRange().get(1);
        List<ExperimentEntity> sameLayer =
                new ArrayList<>(
                        experiments.findByLayerAndStatusNot(
                                doc.layer(), ExperimentStatus.ARCHIVED));
        sameLayer.sort(Comparator.comparing(x -> x.key));
        for (ExperimentEntity other : sameLayer) {
            if (!other.id.equals(self) && start < other.layerEnd && other.layerStart < end) {
                throw ApiProblemException.conflict(
                        "layerRange",
                        "overlaps ["
                                + other.layerStart
                                + ", "
                                + other.layerEnd
                                + ") of experiment "
                                + other.key
                                + " in layer "
                                + doc.layer());
            }
        }
    }

    private void apply(ExperimentDocument doc, ExperimentEntity e, Instant now) {
        e.name = doc.name();
        e.hypothesis = doc.hypothesis();
        e.layer = doc.layer();
        e.layerStart = doc.layerRange() == null ? null : doc.layerRange().get(0);
        e.layerEnd = doc.layerRange() == null ? null : doc.layerRange().get(1);
        e.hashAttribute = doc.hashAttribute();
        e.seed = doc.seed();
        e.hashVersion = doc.hashVersion();
        e.coverage = doc.coverage();
        e.conditionJson =
                doc.condition() == null || doc.condition().isEmpty()
                        ? null
                        : json.writeValueAsString(doc.condition());
        e.metricsJson = doc.metrics() == null ? null : json.writeValueAsString(doc.metrics());
        e.analysisJson = doc.analysis() == null ? null : json.writeValueAsString(doc.analysis());
        e.rampPlanJson = doc.rampPlan() == null ? null : json.writeValueAsString(doc.rampPlan());
        e.type = doc.type();
        e.arms.clear();
        doc.arms()
                .forEach(a -> e.arms.add(new ArmColumns(a.key(), a.name(), a.model(), a.weight())));
        e.updatedAt = now;
    }

    /** The experiment's webhook secret, for its owner or an admin. */
    @Transactional(readOnly = true)
    String webhookSecret(String key) {
        return findOwned(key).webhookSecret;
    }

    /** A new webhook secret for the experiment; the old one stops signing at once. */
    @Transactional
    String rotateWebhookSecret(String key) {
        ExperimentEntity e = findOwned(key);
        ExperimentView before = view(e);
        e.webhookSecret = newWebhookSecret();
        e.updatedAt = clock.instant();
        experiments.saveAndFlush(e);
        record(key, "rotate-webhook-secret", before, view(e));
        return e.webhookSecret;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static String newWebhookSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + java.util.HexFormat.of().formatHex(bytes);
    }

    /**
     * The experiment, if the caller may change it: its owner or an admin (403 problem otherwise).
     */
    private ExperimentEntity findOwned(String key) {
        ExperimentEntity e = find(key);
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        boolean admin =
                auth != null
                        && auth.getAuthorities().stream()
                                .anyMatch(a -> a.getAuthority().equals("ROLE_ADMIN"));
        if (!admin && (auth == null || !auth.getName().equals(e.owner))) {
            throw ApiProblemException.forbidden(
                    "experiment "
                            + key
                            + " belongs to "
                            + e.owner
                            + ": only its owner or an admin may change it");
        }
        return e;
    }

    private ExperimentEntity find(String key) {
        return experiments
                .findByKey(key)
                .orElseThrow(() -> ApiProblemException.notFound("no experiment with key " + key));
    }

    ExperimentView view(ExperimentEntity e) {
        return new ExperimentView(
                e.key,
                e.name,
                e.hypothesis,
                e.type,
                e.status,
                e.phase,
                e.layer,
                e.layerStart == null ? null : List.of(e.layerStart, e.layerEnd),
                e.hashAttribute,
                e.seed,
                e.hashVersion,
                e.coverage,
                e.conditionJson == null ? null : json.readValue(e.conditionJson, MAP),
                e.arms.stream()
                        .map(a -> new ExperimentDocument.Arm(a.key, a.name, a.model, a.weight))
                        .toList(),
                e.metricsJson == null
                        ? null
                        : json.readValue(e.metricsJson, ExperimentDocument.Metrics.class),
                e.analysisJson == null
                        ? null
                        : json.readValue(e.analysisJson, ExperimentDocument.Analysis.class),
                e.createdAt,
                e.updatedAt,
                e.startedAt,
                e.stoppedAt,
                e.stopReason,
                e.owner,
                rampPlan(e),
                e.rampStep == null
                        ? null
                        : new ExperimentView.RampView(
                                e.rampStep, e.rampStepStartedAt, e.rampState, e.rampReason),
                null);
    }

    static ExperimentDocument document(ExperimentView v) {
        return new ExperimentDocument(
                v.key(),
                v.name(),
                v.hypothesis(),
                v.layer(),
                v.layerRange(),
                v.hashAttribute(),
                v.seed(),
                v.hashVersion(),
                v.coverage(),
                v.condition(),
                v.arms(),
                v.metrics(),
                v.analysis(),
                v.rampPlan(),
                v.type());
    }

    private void record(String key, String action, ExperimentView before, ExperimentView after) {
        record(key, action, before, after, actor(), null, null);
    }

    private void record(
            String key,
            String action,
            ExperimentView before,
            ExperimentView after,
            String actor,
            String reason,
            Object evidence) {
        AuditEntryEntity a = new AuditEntryEntity();
        a.experimentKey = key;
        a.actor = actor;
        a.action = action;
        a.reason = reason;
        a.evidenceJson = evidence == null ? null : json.writeValueAsString(evidence);
        a.at = clock.instant();
        a.beforeJson = before == null ? null : json.writeValueAsString(before);
        a.afterJson = after == null ? null : json.writeValueAsString(after);
        audit.save(a);
        events.publishEvent(new ExperimentsChanged(key));
    }

    private Object readTree(String s) {
        return s == null ? null : json.readValue(s, LinkedHashMap.class);
    }

    private static String actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? "system" : auth.getName();
    }

    static EnumSet<ExperimentStatus> live() {
        return EnumSet.of(ExperimentStatus.RUNNING);
    }
}
