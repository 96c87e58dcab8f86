package io.splitrank.app.security;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface DashboardUserRepository extends JpaRepository<DashboardUserEntity, Long> {
    Optional<DashboardUserEntity> findByUsername(String username);
}
