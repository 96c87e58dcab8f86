package io.splitrank.app.experiment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One coverage a phase ran at, from when, set by whom and why. */
@Entity
@Table(name = "experiment_coverage")
class CoverageChangeEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "experiment_id")
    long experimentId;

    int phase;
    Instant at;
    double coverage;
    String actor;
    String reason;
}
