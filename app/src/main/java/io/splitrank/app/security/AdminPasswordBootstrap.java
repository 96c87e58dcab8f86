package io.splitrank.app.security;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes sure the dashboard's {@code admin} account exists: with the password in {@code
 * SPLITRANK_ADMIN_PASSWORD} when set (it replaces a previous one), otherwise with one generated at
 * the first start and printed once. Mirrors {@link AdminKeyBootstrap}.
 */
@Component
class AdminPasswordBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminPasswordBootstrap.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String ADMIN = "admin";

    private final DashboardUserRepository repository;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final String configuredPassword;

    AdminPasswordBootstrap(
            DashboardUserRepository repository,
            PasswordEncoder encoder,
            Clock clock,
            AdminProperties properties) {
        this.repository = repository;
        this.encoder = encoder;
        this.clock = clock;
        this.configuredPassword = properties.adminPassword();
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        DashboardUserEntity admin = repository.findByUsername(ADMIN).orElse(null);
        if (configuredPassword != null && !configuredPassword.isBlank()) {
            if (admin == null) {
                admin = newAdmin();
            } else if (encoder.matches(configuredPassword, admin.passwordHash)
                    && admin.disabledAt == null) {
                return;
            }
            admin.passwordHash = encoder.encode(configuredPassword);
            admin.disabledAt = null;
            repository.save(admin);
            return;
        }
        if (admin == null) {
            byte[] bytes = new byte[18];
            RANDOM.nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            admin = newAdmin();
            admin.passwordHash = encoder.encode(password);
            repository.save(admin);
            // printed once: only its hash is kept
            log.warn(
                    """

                    ************************************************************
                    Generated the dashboard password of user admin (shown only this once):
                        {}
                    Set SPLITRANK_ADMIN_PASSWORD to choose your own.
                    ************************************************************""",
                    password);
        }
    }

    private DashboardUserEntity newAdmin() {
        DashboardUserEntity admin = new DashboardUserEntity();
        admin.username = ADMIN;
        admin.role = "admin";
        admin.createdAt = clock.instant();
        return admin;
    }
}
