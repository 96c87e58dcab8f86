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
    private final AuditLogRepository audit;
    private final ExperimentValidator validator;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    ExperimentService(
            ExperimentRepository experiments,
            PhaseRepository phases,
            AuditLogRepository audit,
            ExperimentValidator validator,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.experiments = experiments;
        this.phases = phases;
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
        ExperimentEntity e = find(key);
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
        Instant now = clock.instant();
        boolean newPhase = e.startedAt != null && PhaseRules.needsNewPhase(document(before), doc);
        apply(doc, e, now);
        if (newPhase) {
            phases.findById(new PhaseEntity.PhaseId(e.id, e.phase)).ifPresent(p -> p.endedAt = now);
            e.phase++;
            if (e.status == ExperimentStatus.RUNNING) {
                openPhase(e, now);
            }
        }
        experiments.saveAndFlush(e);
        ExperimentView after = view(e);
        record(key, newPhase ? "patch+new-phase" : "patch", before, after);
        return after;
    }

    @Transactional
    ExperimentView start(String key) {
        ExperimentEntity e = find(key);
        if (e.status != ExperimentStatus.DRAFT && e.status != ExperimentStatus.STOPPED) {
            throw ApiProblemException.conflict(
                    "status",
                    "only a draft or stopped experiment can start (it is " + e.status.id() + ")");
        }
        return transition(e, ExperimentStatus.RUNNING, "start");
    }

    @Transactional
    ExperimentView stop(String key) {
        ExperimentEntity e = find(key);
        if (e.status != ExperimentStatus.RUNNING) {
            throw ApiProblemException.conflict(
                    "status", "only a running experiment can stop (it is " + e.status.id() + ")");
        }
        return transition(e, ExperimentStatus.STOPPED, "stop");
    }

    @Transactional
    ExperimentView archive(String key) {
        ExperimentEntity e = find(key);
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
                                        readTree(a.afterJson)))
                .toList();
    }

    @Transactional(readOnly = true)
    List<PhaseView> phases(String key) {
        ExperimentEntity e = find(key);
        return phases.findByExperimentIdOrderByPhase(e.id).stream()
                .map(
                        p ->
                                new PhaseView(
                                        p.phase,
                                        p.hashSeed,
                                        List.of(
                                                json.readValue(
                                                        p.armsJson,
                                                        ExperimentDocument.Arm[].class)),
                                        p.coverage,
                                        p.startedAt,
                                        p.endedAt))
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
            if (phases.findById(new PhaseEntity.PhaseId(e.id, e.phase)).isEmpty()) {
                openPhase(e, now);
            }
        } else if (to == ExperimentStatus.STOPPED) {
            e.stoppedAt = now;
        }
        e.status = to;
        e.updatedAt = now;
        experiments.saveAndFlush(e);
        ExperimentView after = view(e);
        record(e.key, action, before, after);
        return after;
    }

    private void openPhase(ExperimentEntity e, Instant now) {
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
        e.arms.clear();
        doc.arms()
                .forEach(a -> e.arms.add(new ArmColumns(a.key(), a.name(), a.model(), a.weight())));
        e.updatedAt = now;
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
                v.analysis());
    }

    private void record(String key, String action, ExperimentView before, ExperimentView after) {
        AuditEntryEntity a = new AuditEntryEntity();
        a.experimentKey = key;
        a.actor = actor();
        a.action = action;
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
