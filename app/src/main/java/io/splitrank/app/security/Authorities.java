package io.splitrank.app.security;

import java.util.List;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a key's scope or an account's role may do, as Spring Security roles that {@link
 * SecurityConfiguration}'s rules check. The rights (docs/security.md):
 *
 * <ul>
 *   <li>{@code SDK}: assign, rank, events, exposures, the SDK configuration — what a recommendation
 *       service needs, nothing more;
 *   <li>{@code READER}: every read;
 *   <li>{@code ANALYST}: the analysis endpoints;
 *   <li>{@code OWNER}: create experiments and change the ones one owns;
 *   <li>{@code ADMIN}: everything, accounts and keys included.
 * </ul>
 *
 * Key scopes: sdk = SDK; reader = READER; writer = SDK + READER + ANALYST; admin = ADMIN. Dashboard
 * roles: viewer = READER; owner = READER + ANALYST + OWNER; admin = ADMIN.
 */
final class Authorities {

    static final List<String> SCOPES = List.of("sdk", "reader", "writer", "admin");
    static final List<String> USER_ROLES = List.of("viewer", "owner", "admin");

    private static final Map<String, List<String>> OF_SCOPE =
            Map.of(
                    "sdk", List.of("SDK"),
                    "reader", List.of("READER"),
                    "writer", List.of("SDK", "READER", "ANALYST"),
                    "admin", List.of("ADMIN"));

    private static final Map<String, List<String>> OF_USER_ROLE =
            Map.of(
                    "viewer", List.of("READER"),
                    "owner", List.of("READER", "ANALYST", "OWNER"),
                    "admin", List.of("ADMIN"));

    private Authorities() {}

    /** The roles of a key's scope (none for an unknown scope). */
    static List<GrantedAuthority> ofScope(String scope) {
        return granted(OF_SCOPE.getOrDefault(scope, List.of()));
    }

    /** The roles of a dashboard account's role (none for an unknown role). */
    static List<GrantedAuthority> ofUserRole(String role) {
        return granted(OF_USER_ROLE.getOrDefault(role, List.of()));
    }

    /** The role names without Spring's prefix, e.g. [SDK, READER]. */
    static List<String> namesOfUserRole(String role) {
        return OF_USER_ROLE.getOrDefault(role, List.of());
    }

    private static List<GrantedAuthority> granted(List<String> roles) {
        return roles.stream()
                .map(r -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + r))
                .toList();
    }
}
