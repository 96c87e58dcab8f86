package io.splitrank.app.security;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, Long> {
    Optional<ApiKeyEntity> findByKeyHashAndRevokedAtIsNull(String keyHash);

    Optional<ApiKeyEntity> findByName(String name);
}
