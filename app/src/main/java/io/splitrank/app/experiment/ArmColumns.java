package io.splitrank.app.experiment;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One arm as stored in {@code experiment_arm}. */
@Embeddable
class ArmColumns {

    @Column(name = "key", nullable = false)
    String key;

    @Column(name = "name", nullable = false)
    String name;

    @Column(name = "model", nullable = false)
    String model;

    @Column(name = "weight", nullable = false)
    double weight;

    protected ArmColumns() {}

    ArmColumns(String key, String name, String model, double weight) {
        this.key = key;
        this.name = name;
        this.model = model;
        this.weight = weight;
    }
}
