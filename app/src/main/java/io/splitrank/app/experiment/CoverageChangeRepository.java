package io.splitrank.app.experiment;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface CoverageChangeRepository extends JpaRepository<CoverageChangeEntity, Long> {
    List<CoverageChangeEntity> findByExperimentIdOrderByIdAsc(long experimentId);
}
