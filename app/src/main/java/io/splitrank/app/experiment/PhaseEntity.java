package io.splitrank.app.experiment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One phase of an experiment: the seed and arms it hashed with; results are per phase. */
@Entity
@Table(name = "experiment_phase")
@IdClass(PhaseEntity.PhaseId.class)
class PhaseEntity {

    @Id
    @Column(name = "experiment_id")
    long experimentId;

    @Id int phase;

    @Column(name = "hash_seed")
    String hashSeed;

    @Column(name = "arms_json")
    String armsJson;

    double coverage;

    @Column(name = "started_at")
    Instant startedAt;

    @Column(name = "ended_at")
    Instant endedAt;

    record PhaseId(long experimentId, int phase) implements Serializable {
        PhaseId() {
            this(0, 0);
        }
    }
}
