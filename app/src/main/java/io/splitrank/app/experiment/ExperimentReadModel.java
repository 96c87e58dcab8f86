package io.splitrank.app.experiment;

import io.splitrank.app.problem.ApiProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The experiment package's public read model: what other features may know about an experiment,
 * whatever its status, typed and with defaults applied. Only this package reads the experiment,
 * phase and arm tables; everything else asks here.
 */
@Component
public class ExperimentReadModel {

    private final ExperimentRepository experiments;
    private final PhaseRepository phases;
    private final JsonMapper json;

    ExperimentReadModel(ExperimentRepository experiments, PhaseRepository phases, JsonMapper json) {
        this.experiments = experiments;
        this.phases = phases;
        this.json = json;
    }

    /** Whether an experiment with this key exists; for other features' 404s. */
    public boolean exists(String key) {
        return experiments.existsByKey(key);
    }

    /**
     * The model of the experiment's control arm (the first), whatever its status; empty if there is
     * no such experiment.
     */
    @Transactional(readOnly = true)
    public Optional<String> controlModel(String key) {
        return experiments
                .findByKey(key)
                .filter(e -> !e.arms.isEmpty())
                .map(e -> e.arms.get(0).model);
    }

    /** The database id of the experiment with this key, if there is one. */
    public Optional<Long> idOf(String key) {
        return experiments.findIdByKey(key);
    }

    /** The experiment's current phase, if there is such an experiment. */
    public Optional<Integer> currentPhase(long id) {
        return experiments.findById(id).map(e -> e.phase);
    }

    /** Keys of the running experiments, oldest first. */
    @Transactional(readOnly = true)
    public List<String> runningKeys() {
        return experiments.findByStatusIn(ExperimentService.live()).stream()
                .sorted((a, b) -> Long.compare(a.id, b.id))
                .map(e -> e.key)
                .toList();
    }

    /** Keys of the started experiments that are not archived (running or stopped), newest first. */
    @Transactional(readOnly = true)
    public List<String> reportableKeys() {
        return experiments
                .findByStatusIn(List.of(ExperimentStatus.RUNNING, ExperimentStatus.STOPPED))
                .stream()
                .sorted((a, b) -> Long.compare(b.id, a.id))
                .map(e -> e.key)
                .toList();
    }

    /**
     * The settings of an experiment for one phase (null: the current one).
     *
     * @throws ApiProblemException 404 when there is no such experiment or phase
     */
    @Transactional(readOnly = true)
    public ExperimentSettings settings(String key, Integer phase) {
        ExperimentEntity e =
                experiments
                        .findByKey(key)
                        .orElseThrow(
                                () ->
                                        ApiProblemException.notFound(
                                                "no experiment with key " + key));
        int asked = phase == null ? e.phase : phase;
        if (asked < 1 || asked > e.phase) {
            throw ApiProblemException.notFound(
                    "experiment "
                            + key
                            + " has no phase "
                            + asked
                            + " (its current phase is "
                            + e.phase
                            + ")");
        }
        ExperimentDocument.Metrics metrics =
                e.metricsJson == null
                        ? null
                        : json.readValue(e.metricsJson, ExperimentDocument.Metrics.class);
        ExperimentDocument.Analysis analysis =
                e.analysisJson == null
                        ? null
                        : json.readValue(e.analysisJson, ExperimentDocument.Analysis.class);
        return new ExperimentSettings(
                e.id,
                e.key,
                e.status.id(),
                e.phase,
                asked,
                arms(e, asked),
                metrics == null || metrics.primary() == null
                        ? ExperimentValidator.DEFAULT_PRIMARY
                        : metrics.primary(),
                metrics == null || metrics.secondary() == null ? List.of() : metrics.secondary(),
                metrics == null || metrics.guardrails() == null ? List.of() : metrics.guardrails(),
                metrics == null || metrics.guardrailMargins() == null
                        ? Map.of()
                        : Map.copyOf(metrics.guardrailMargins()),
                AnalysisOptions.of(analysis),
                e.updatedAt,
                ramp(e),
                e.webhookSecret,
                e.type);
    }

    private ExperimentSettings.Ramp ramp(ExperimentEntity e) {
        if (e.rampPlanJson == null) {
            return null;
        }
        ExperimentDocument.RampPlan plan =
                json.readValue(e.rampPlanJson, ExperimentDocument.RampPlan.class);
        List<ExperimentSettings.Step> steps = new ArrayList<>();
        for (ExperimentDocument.RampStep s : plan.steps()) {
            steps.add(
                    new ExperimentSettings.Step(
                            s.coverage(),
                            RampSteps.duration(s).orElse(Duration.ZERO),
                            s.minUnits() == null ? 0 : s.minUnits()));
        }
        return new ExperimentSettings.Ramp(
                List.copyOf(steps),
                plan.advances(),
                plan.rollsBack(),
                e.rampStep,
                e.rampStepStartedAt,
                e.rampStepUnits,
                e.rampState);
    }

    /** The experiment's status (draft, running, stopped, archived), if there is one. */
    @Transactional(readOnly = true)
    public Optional<String> status(String key) {
        return experiments.findByKey(key).map(e -> e.status.id());
    }

    private List<ExperimentSettings.Arm> arms(ExperimentEntity e, int phase) {
        List<ExperimentSettings.Arm> arms = new ArrayList<>();
        Optional<PhaseEntity> started = phases.findById(new PhaseEntity.PhaseId(e.id, phase));
        if (started.isPresent()) {
            // a phase that started keeps the arms it hashed with, whatever the experiment says now
            for (ExperimentDocument.Arm a :
                    json.readValue(started.get().armsJson, ExperimentDocument.Arm[].class)) {
                arms.add(
                        new ExperimentSettings.Arm(
                                a.key(), a.model(), a.weight() == null ? 0 : a.weight()));
            }
            return arms;
        }
        e.arms.forEach(a -> arms.add(new ExperimentSettings.Arm(a.key, a.model, a.weight)));
        return arms;
    }
}
