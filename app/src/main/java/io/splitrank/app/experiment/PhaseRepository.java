package io.splitrank.app.experiment;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface PhaseRepository extends JpaRepository<PhaseEntity, PhaseEntity.PhaseId> {
    List<PhaseEntity> findByExperimentIdOrderByPhase(long experimentId);
}
