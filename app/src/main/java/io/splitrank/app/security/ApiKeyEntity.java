package io.splitrank.app.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API key: its name, role and the SHA-256 of its secret (the secret itself is never stored). */
@Entity
@Table(name = "api_key")
class ApiKeyEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String name;

    @Column(name = "key_hash")
    String keyHash;

    String role;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "revoked_at")
    Instant revokedAt;
}
