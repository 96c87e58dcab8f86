package io.splitrank.app.experiment;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

interface ExperimentRepository extends JpaRepository<ExperimentEntity, Long> {

    @EntityGraph(attributePaths = "arms")
    Optional<ExperimentEntity> findByKey(String key);

    boolean existsByKey(String key);

    @EntityGraph(attributePaths = "arms")
    List<ExperimentEntity> findAllByOrderByCreatedAtDesc();

    @EntityGraph(attributePaths = "arms")
    List<ExperimentEntity> findByStatusIn(Collection<ExperimentStatus> statuses);

    List<ExperimentEntity> findByLayerAndStatusNot(String layer, ExperimentStatus status);
}
