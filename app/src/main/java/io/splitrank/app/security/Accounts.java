package io.splitrank.app.security;

import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The dashboard's accounts: admins create, list, disable and give roles to them; every user changes
 * their own password. Passwords are stored as BCrypt hashes; every change is audited.
 */
@Service
class Accounts {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9_.@-]{0,99}");
    static final int MIN_PASSWORD = 12;

    private final DashboardUserRepository repository;
    private final PasswordEncoder encoder;
    private final SecurityAudit audit;
    private final Clock clock;

    Accounts(
            DashboardUserRepository repository,
            PasswordEncoder encoder,
            SecurityAudit audit,
            Clock clock) {
        this.repository = repository;
        this.encoder = encoder;
        this.audit = audit;
        this.clock = clock;
    }

    /** An account as listed: never its password. */
    record UserView(
            long id,
            String username,
            String role,
            List<String> rights,
            Instant createdAt,
            Instant disabledAt,
            Instant passwordChangedAt) {

        static UserView of(DashboardUserEntity u) {
            return new UserView(
                    u.id,
                    u.username,
                    u.role,
                    Authorities.namesOfUserRole(u.role),
                    u.createdAt,
                    u.disabledAt,
                    u.passwordChangedAt);
        }
    }

    @Transactional(readOnly = true)
    List<UserView> list() {
        return repository.findAll().stream()
                .sorted((a, b) -> Long.compare(a.id, b.id))
                .map(UserView::of)
                .toList();
    }

    @Transactional
    UserView create(String username, String password, String role) {
        List<FieldProblem> errors = new ArrayList<>();
        if (username == null || !USERNAME.matcher(username).matches()) {
            errors.add(
                    new FieldProblem(
                            "username",
                            "required: 1 to 100 lower-case letters, digits and _ . @ -"));
        }
        checkPassword("password", password, errors);
        checkRole(role, errors);
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(errors);
        }
        if (repository.findByUsername(username).isPresent()) {
            throw ApiProblemException.conflict("username", "a user named " + username + " exists");
        }
        DashboardUserEntity u = new DashboardUserEntity();
        u.username = username;
        u.passwordHash = encoder.encode(password);
        u.role = role;
        u.createdAt = clock.instant();
        repository.save(u);
        audit.record("create-user", "user:" + username, Map.of("role", role));
        return UserView.of(u);
    }

    /** Changes an account's role and whether it is disabled (null: unchanged). */
    @Transactional
    UserView update(String username, String role, Boolean disabled) {
        DashboardUserEntity u = find(username);
        List<FieldProblem> errors = new ArrayList<>();
        if (role != null) {
            checkRole(role, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(errors);
        }
        String self = SecurityAudit.actor();
        if (username.equals(self)
                && ((role != null && !role.equals("admin")) || Boolean.TRUE.equals(disabled))) {
            throw ApiProblemException.conflict(
                    "role", "an admin cannot demote or disable their own account");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        if (role != null && !role.equals(u.role)) {
            detail.put("role", Map.of("from", u.role, "to", role));
            u.role = role;
        }
        if (disabled != null && disabled != (u.disabledAt != null)) {
            detail.put("disabled", disabled);
            u.disabledAt = disabled ? clock.instant() : null;
        }
        if (!detail.isEmpty()) {
            repository.save(u);
            audit.record("update-user", "user:" + username, detail);
        }
        return UserView.of(u);
    }

    /** The signed-in user changes their own password, proving the current one. */
    @Transactional
    void changeOwnPassword(String username, String current, String next) {
        DashboardUserEntity u = find(username);
        List<FieldProblem> errors = new ArrayList<>();
        if (current == null || !encoder.matches(current, u.passwordHash)) {
            errors.add(new FieldProblem("currentPassword", "does not match"));
        }
        checkPassword("newPassword", next, errors);
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(errors);
        }
        u.passwordHash = encoder.encode(next);
        u.passwordChangedAt = clock.instant();
        repository.save(u);
        audit.record("change-password", "user:" + username, null);
    }

    private DashboardUserEntity find(String username) {
        return repository
                .findByUsername(username)
                .orElseThrow(() -> ApiProblemException.notFound("no user named " + username));
    }

    private static void checkPassword(String field, String password, List<FieldProblem> errors) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 72) {
            errors.add(new FieldProblem(field, "required: " + MIN_PASSWORD + " to 72 characters"));
        }
    }

    private static void checkRole(String role, List<FieldProblem> errors) {
        if (role == null || !Authorities.USER_ROLES.contains(role)) {
            errors.add(new FieldProblem("role", "must be viewer, owner or admin"));
        }
    }
}
