package io.splitrank.app.experiment;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An experiment's configuration row; the API speaks {@link ExperimentDocument}, never this. */
@Entity
@Table(name = "experiment")
class ExperimentEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "key", nullable = false, updatable = false)
    String key;

    String name;
    String hypothesis;

    /** ab or interleaving. */
    String type;

    @Convert(converter = StatusConverter.class)
    ExperimentStatus status;

    String layer;

    @Column(name = "layer_start")
    Double layerStart;

    @Column(name = "layer_end")
    Double layerEnd;

    @Column(name = "hash_attribute")
    String hashAttribute;

    String seed;

    @Column(name = "hash_version")
    int hashVersion;

    double coverage;

    @Column(name = "condition_json")
    String conditionJson;

    @Column(name = "metrics_json")
    String metricsJson;

    @Column(name = "analysis_json")
    String analysisJson;

    int phase;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "updated_at")
    Instant updatedAt;

    @Column(name = "started_at")
    Instant startedAt;

    @Column(name = "stopped_at")
    Instant stoppedAt;

    /** Who created the experiment; only they (or an admin) may change it. */
    String owner;

    /** Signs the experiment's webhook calls (HMAC-SHA256 of the body). */
    @Column(name = "webhook_secret")
    String webhookSecret;

    @Column(name = "stop_reason")
    String stopReason;

    @Column(name = "ramp_plan_json")
    String rampPlanJson;

    @Column(name = "ramp_step")
    Integer rampStep;

    @Column(name = "ramp_step_started_at")
    Instant rampStepStartedAt;

    @Column(name = "ramp_step_units")
    Long rampStepUnits;

    @Column(name = "ramp_state")
    String rampState;

    @Column(name = "ramp_reason")
    String rampReason;

    @Version long version;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "experiment_arm", joinColumns = @JoinColumn(name = "experiment_id"))
    @OrderColumn(name = "position")
    List<ArmColumns> arms = new ArrayList<>();

    @Converter
    static class StatusConverter implements AttributeConverter<ExperimentStatus, String> {
        @Override
        public String convertToDatabaseColumn(ExperimentStatus status) {
            return status == null ? null : status.id();
        }

        @Override
        public ExperimentStatus convertToEntityAttribute(String id) {
            return id == null ? null : ExperimentStatus.fromId(id);
        }
    }
}
