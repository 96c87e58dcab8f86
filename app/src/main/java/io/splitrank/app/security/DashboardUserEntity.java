package io.splitrank.app.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A dashboard account: its name, role (viewer, owner, admin) and the BCrypt hash of its password.
 */
@Entity
@Table(name = "dashboard_user")
class DashboardUserEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    String username;

    @Column(name = "password_hash")
    String passwordHash;

    String role;

    @Column(name = "created_at")
    Instant createdAt;

    @Column(name = "disabled_at")
    Instant disabledAt;

    @Column(name = "password_changed_at")
    Instant passwordChangedAt;
}
