package io.splitrank.app.experiment;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface AuditLogRepository extends JpaRepository<AuditEntryEntity, Long> {
    List<AuditEntryEntity> findByExperimentKeyOrderByIdAsc(String experimentKey);
}
