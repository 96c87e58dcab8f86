package io.splitrank.app.security;

import io.splitrank.app.problem.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's accounts (admins), one's own password (everyone), and the accounts' audit log.
 */
@RestController
@Tag(
        name = "Accounts",
        description = "Dashboard accounts, roles and the audit of accounts and keys")
class AccountController {

    private final Accounts accounts;
    private final SecurityAudit audit;

    AccountController(Accounts accounts, SecurityAudit audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    record NewUser(
            @Schema(example = "alice") String username,
            @Schema(description = "12 to 72 characters") String password,
            @Schema(
                            description =
                                    "viewer (reads), owner (creates experiments, edits its own) or admin")
                    String role) {}

    record UserChange(
            @Schema(description = "viewer, owner or admin") String role,
            @Schema(description = "true disables the account (it cannot sign in)")
                    Boolean disabled) {}

    record PasswordChange(String currentPassword, String newPassword) {}

    @GetMapping("/api/v1/users")
    @Operation(summary = "Every dashboard account")
    List<Accounts.UserView> list() {
        return accounts.list();
    }

    @PostMapping("/api/v1/users")
    @Operation(summary = "Create a dashboard account")
    ResponseEntity<Accounts.UserView> create(@RequestBody NewUser request) {
        Accounts.UserView created =
                accounts.create(request.username(), request.password(), request.role());
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.username()))
                .body(created);
    }

    @PatchMapping("/api/v1/users/{username}")
    @Operation(summary = "Change an account's role, or disable or enable it")
    Accounts.UserView update(@PathVariable String username, @RequestBody UserChange change) {
        return accounts.update(username, change.role(), change.disabled());
    }

    @PostMapping("/api/v1/users/me/password")
    @Operation(summary = "Change the signed-in user's own password")
    ResponseEntity<Void> changePassword(
            @RequestBody PasswordChange change, Authentication authentication) {
        // a key's principal is its name; a signed-in user's is their account
        if (authentication == null || !(authentication.getPrincipal() instanceof UserDetails)) {
            throw ApiProblemException.forbidden(
                    "only a signed-in dashboard user has a password to change");
        }
        accounts.changeOwnPassword(
                authentication.getName(), change.currentPassword(), change.newPassword());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/audit")
    @Operation(summary = "Changes to accounts and keys, newest first (experiments have their own)")
    List<SecurityAudit.Entry> audit(@RequestParam(defaultValue = "200") int limit) {
        return audit.list(Math.max(1, Math.min(limit, 10_000)));
    }
}
