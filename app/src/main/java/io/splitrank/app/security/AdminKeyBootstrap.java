package io.splitrank.app.security;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes sure an admin key exists. {@code SPLITRANK_ADMIN_KEY}, when set, is added as an admin key
 * unless a key with that secret exists; a key revoked by a person stays revoked. Without it, a key
 * is generated and printed once when no admin key is valid. It never revokes a key: that is a
 * person's decision (DELETE /api/v1/keys/{id}); it logs what it did.
 */
@Component
class AdminKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);
    static final String ADMIN = "admin";

    private final ApiKeyRepository repository;
    private final ApiKeys keys;
    private final SecurityAudit audit;
    private final Clock clock;
    private final String configuredKey;

    AdminKeyBootstrap(
            ApiKeyRepository repository,
            ApiKeys keys,
            SecurityAudit audit,
            Clock clock,
            AdminProperties properties) {
        this.repository = repository;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
        this.configuredKey = properties.adminKey();
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        if (configuredKey != null && !configuredKey.isBlank()) {
            String hash = ApiKeys.sha256(configuredKey);
            ApiKeyEntity existing =
                    repository.findAll().stream()
                            .filter(k -> k.keyHash.equals(hash))
                            .findFirst()
                            .orElse(null);
            if (existing != null) {
                if (existing.revokedAt != null) {
                    log.warn(
                            "SPLITRANK_ADMIN_KEY is the key {} revoked by {} at {}: it stays revoked;"
                                    + " set another key, or sign in to the dashboard to create one",
                            existing.name,
                            existing.revokedBy,
                            existing.revokedAt);
                }
                return;
            }
            ApiKeyEntity added = newAdmin(configuredKey);
            log.info(
                    "Added the admin key {} ({}…) from SPLITRANK_ADMIN_KEY; the other keys stay valid"
                            + " until a person revokes them",
                    added.name,
                    added.prefix);
            return;
        }
        boolean anyAdmin =
                repository.findAll().stream()
                        .anyMatch(k -> k.revokedAt == null && k.scope.equals("admin"));
        if (!anyAdmin) {
            String secret = ApiKeys.newSecret();
            ApiKeyEntity added = newAdmin(secret);
            // printed once: only its hash is kept
            log.warn(
                    """

                    ************************************************************
                    Generated the admin API key {} (shown only this once):
                        {}
                    Use it as: Authorization: Bearer <key>
                    Set SPLITRANK_ADMIN_KEY to choose your own.
                    ************************************************************""",
                    added.name,
                    secret);
        }
    }

    /** A new admin key with this secret, named admin (or admin-2, admin-3, … when taken). */
    private ApiKeyEntity newAdmin(String secret) {
        String name = ADMIN;
        for (int i = 2; repository.existsByName(name); i++) {
            name = ADMIN + "-" + i;
        }
        ApiKeyEntity admin = new ApiKeyEntity();
        admin.name = name;
        admin.scope = "admin";
        admin.keyHash = ApiKeys.sha256(secret);
        admin.prefix = secret.substring(0, Math.min(ApiKeys.PREFIX_LENGTH, secret.length()));
        admin.createdAt = clock.instant();
        admin.createdBy = "system";
        repository.save(admin);
        keys.evict();
        audit.record(
                "create-key", "key:" + admin.id + " " + name, java.util.Map.of("scope", "admin"));
        return admin;
    }
}
