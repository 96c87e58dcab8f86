package io.splitrank.app.experiment;

import io.splitrank.experiments.Experiment;
import io.splitrank.experiments.PhaseHasher;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The running experiments, held in memory so that assignment never touches the database. Reloaded
 * after every committed change on this node, and every few seconds for changes made on other nodes.
 */
@Component
public class RunningExperiments {

    private final ExperimentRepository repository;
    private final ExperimentService service;
    private final AtomicReference<Snapshot> snapshot =
            new AtomicReference<>(new Snapshot(0, Map.of()));

    RunningExperiments(ExperimentRepository repository, ExperimentService service) {
        this.repository = repository;
        this.service = service;
    }

    /**
     * A running experiment with its database id, and its phase's hasher prepared for the hot path.
     */
    public record LiveExperiment(
            long id, Experiment experiment, PhaseHasher hasher, boolean interleaving) {
        LiveExperiment(long id, Experiment experiment, boolean interleaving) {
            this(id, experiment, PhaseHasher.of(experiment), interleaving);
        }
    }

    /**
     * An immutable view of all running experiments.
     *
     * @param version increases with every reload that changed something
     * @param byKey the running experiments by key, in creation order
     */
    public record Snapshot(long version, Map<String, LiveExperiment> byKey) {
        public List<LiveExperiment> all() {
            return List.copyOf(byKey.values());
        }
    }

    /** The current snapshot; cheap, lock-free. */
    public Snapshot current() {
        return snapshot.get();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void onChange(ExperimentsChanged event) {
        reload();
    }

    @Scheduled(fixedDelayString = "${splitrank.experiments.reload-interval:5s}", initialDelay = 0)
    @Transactional(readOnly = true)
    public void reload() {
        Map<String, LiveExperiment> byKey = new LinkedHashMap<>();
        repository.findByStatusIn(ExperimentService.live()).stream()
                .sorted((a, b) -> a.createdAt.compareTo(b.createdAt))
                .forEach(
                        e -> {
                            ExperimentView view = service.view(e);
                            byKey.put(
                                    e.key,
                                    new LiveExperiment(
                                            e.id,
                                            ExperimentMapping.toExperiment(
                                                    ExperimentService.document(view),
                                                    e.phase,
                                                    view.condition()),
                                            ExperimentDocument.INTERLEAVING.equals(e.type)));
                        });
        snapshot.updateAndGet(
                old ->
                        sameExperiments(old.byKey(), byKey)
                                ? old
                                : new Snapshot(
                                        old.version() + 1, Collections.unmodifiableMap(byKey)));
    }

    /**
     * Whether a reload changed nothing (hashers are derived from the experiments, so they are left
     * out).
     */
    private static boolean sameExperiments(
            Map<String, LiveExperiment> a, Map<String, LiveExperiment> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, LiveExperiment> e : a.entrySet()) {
            LiveExperiment other = b.get(e.getKey());
            if (e.getValue().id() != other.id()
                    || e.getValue().interleaving() != other.interleaving()
                    || !e.getValue().experiment().equals(other.experiment())) {
                return false;
            }
        }
        return true;
    }
}
