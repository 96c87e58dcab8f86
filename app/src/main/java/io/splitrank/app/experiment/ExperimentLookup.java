package io.splitrank.app.experiment;

import org.springframework.stereotype.Component;

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
}
