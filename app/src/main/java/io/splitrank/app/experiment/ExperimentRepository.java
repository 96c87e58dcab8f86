package io.splitrank.app.experiment;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface ExperimentRepository extends JpaRepository<ExperimentEntity, Long> {

    @EntityGraph(attributePaths = "arms")
    Optional<ExperimentEntity> findByKey(String key);

    boolean existsByKey(String key);

    @Query("select e.id from ExperimentEntity e where e.key = :key")
    Optional<Long> findIdByKey(@Param("key") String key);

    @EntityGraph(attributePaths = "arms")
    List<ExperimentEntity> findAllByOrderByCreatedAtDesc();

    @EntityGraph(attributePaths = "arms")
    List<ExperimentEntity> findByStatusIn(Collection<ExperimentStatus> statuses);

    List<ExperimentEntity> findByLayerAndStatusNot(String layer, ExperimentStatus status);

    /** The ramp check's note; see {@link ExperimentService#noteRamp}. */
    @Modifying
    @Query(
            "update ExperimentEntity e set e.rampReason = :reason,"
                    + " e.rampStepUnits = coalesce(e.rampStepUnits, :units)"
                    + " where e.key = :key and e.phase = :phase and e.rampStep = :step")
    int noteRamp(
            @Param("key") String key,
            @Param("phase") int phase,
            @Param("step") int step,
            @Param("units") long units,
            @Param("reason") String reason);
}
