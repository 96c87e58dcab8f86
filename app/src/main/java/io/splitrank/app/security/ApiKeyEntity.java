package io.splitrank.app.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An API key: its name, scope, the first characters and the SHA-256 of its secret (the secret
 * itself is never stored), who created and who revoked it, and when it was last used (to the
 * minute).
 */
@Entity
@Table(name = "api_key")
class ApiKeyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String name;

    @Column(name = "key_hash")
    String keyHash;

    String scope;

    /** The secret's first characters, to recognise the key in a list. */
    String prefix;

    @Column(name = "created_by")
    String createdBy;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "revoked_by")
    String revokedBy;

    /** Requests per second allowed; 0 for the platform's default. */
    @Column(name = "rate_limit")
    int rateLimit;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "revoked_at")
    Instant revokedAt;
}
