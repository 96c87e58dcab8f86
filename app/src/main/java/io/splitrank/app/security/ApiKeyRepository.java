package io.splitrank.app.security;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, Long> {
    Optional<ApiKeyEntity> findByKeyHashAndRevokedAtIsNull(String keyHash);

    Optional<ApiKeyEntity> findByName(String name);

    boolean existsByName(String name);

    java.util.List<ApiKeyEntity> findAllByOrderByIdAsc();

    /** Records a use, at most once a minute per key (the caller checks the minute). */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.transaction.annotation.Transactional
    @org.springframework.data.jpa.repository.Query(
            "update ApiKeyEntity k set k.lastUsedAt = :at where k.id = :id")
    int used(
            @org.springframework.data.repository.query.Param("id") long id,
            @org.springframework.data.repository.query.Param("at") java.time.Instant at);
}
