package io.splitrank.app.experiment;

import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Whether an experiment exists, whatever its status; for other features' 404s. */
@Component
public class ExperimentLookup {

    private final ExperimentRepository repository;

    ExperimentLookup(ExperimentRepository repository) {
        this.repository = repository;
    }

    public boolean exists(String key) {
        return repository.existsByKey(key);
    }

    /** The model of the experiment's control arm (the first), whatever its status; empty if there is no such experiment. */
    @Transactional(readOnly = true)
    public Optional<String> controlModel(String key) {
        return repository.findByKey(key).filter(e -> !e.arms.isEmpty()).map(e -> e.arms.get(0).model);
    }
}
