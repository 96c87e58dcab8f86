package io.splitrank.experiments;

import java.util.Objects;

/**
 * One arm (GrowthBook: variation) of an experiment: a stable key, a display name, the ranking model
 * it serves and its share of the covered traffic. The first arm of an {@link Experiment} is the
 * control.
 *
 * @param key stable identifier, unique within the experiment; part of the assignment (renaming it
 *     starts a new phase)
 * @param name display name; free to change
 * @param model the ranking model this arm serves, e.g. {@code baseline} or {@code ektm}
 * @param weight share of traffic in [0, 1]; an experiment's weights sum to 1
 */
public record Arm(String key, String name, String model, double weight) {

    /** Validates the arm; a null or blank name defaults to the key. */
    public Arm {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("arm key must not be blank");
        }
        Objects.requireNonNull(model, "arm model must not be null");
        if (name == null || name.isBlank()) {
            name = key;
        }
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException(
                    "arm weight must be in [0, 1], was " + weight + " for arm " + key);
        }
    }

    /** Returns a copy with another weight. */
    public Arm withWeight(double newWeight) {
        return new Arm(key, name, model, newWeight);
    }
}
