package io.splitrank.app.experiment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Who changed an experiment, when, and from what to what. */
@Entity
@Table(name = "audit_log")
class AuditEntryEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "experiment_key")
    String experimentKey;

    String actor;
    String action;
    Instant at;

    @Column(name = "before_json")
    String beforeJson;

    @Column(name = "after_json")
    String afterJson;

    /** Why an automatic action was taken, or null. */
    String reason;

    /** The numbers an automatic action was taken on (JSON), or null. */
    @Column(name = "evidence_json")
    String evidenceJson;
}
