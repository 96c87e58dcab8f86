package io.splitrank.app.experiment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where an experiment is in its life: only running experiments assign units. */
public enum ExperimentStatus {
    DRAFT,
    RUNNING,
    STOPPED,
    ARCHIVED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the lower-case id used by the API and the database; null for an unknown one. */
    public static ExperimentStatus fromId(String id) {
        for (ExperimentStatus s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}
