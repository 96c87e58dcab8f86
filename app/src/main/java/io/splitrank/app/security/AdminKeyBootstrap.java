package io.splitrank.app.security;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes sure an admin key exists: the one in {@code SPLITRANK_ADMIN_KEY} when set (it replaces a
 * previous one), otherwise one generated at the first start and printed once.
 */
@Component
class AdminKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);
    static final String ADMIN = "admin";

    private final ApiKeyRepository repository;
    private final ApiKeys keys;
    private final Clock clock;
    private final String configuredKey;

    AdminKeyBootstrap(
            ApiKeyRepository repository, ApiKeys keys, Clock clock, AdminProperties properties) {
        this.repository = repository;
        this.keys = keys;
        this.clock = clock;
        this.configuredKey = properties.adminKey();
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        ApiKeyEntity admin = repository.findByName(ADMIN).orElse(null);
        if (configuredKey != null && !configuredKey.isBlank()) {
            String hash = ApiKeys.sha256(configuredKey);
            if (admin == null) {
                admin = newAdmin();
            }
            admin.keyHash = hash;
            admin.revokedAt = null;
            repository.save(admin);
            keys.evict();
            return;
        }
        if (admin == null) {
            String secret = ApiKeys.newSecret();
            admin = newAdmin();
            admin.keyHash = ApiKeys.sha256(secret);
            repository.save(admin);
            // printed once: only its hash is kept
            log.warn(
                    """

                    ************************************************************
                    Generated the admin API key (shown only this once):
                        {}
                    Use it as: Authorization: Bearer <key>
                    Set SPLITRANK_ADMIN_KEY to choose your own.
                    ************************************************************""",
                    secret);
        }
    }

    private ApiKeyEntity newAdmin() {
        ApiKeyEntity admin = new ApiKeyEntity();
        admin.name = ADMIN;
        admin.role = "admin";
        admin.createdAt = clock.instant();
        return admin;
    }
}
