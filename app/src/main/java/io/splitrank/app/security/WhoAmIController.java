package io.splitrank.app.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets a client check its credentials: who it is (a key or a dashboard account), its scope or role,
 * and the rights these give ({@link Authorities}). Also the cheapest authenticated call.
 */
@RestController
@Tag(name = "Keys")
class WhoAmIController {

    /**
     * The caller.
     *
     * @param name the key's name or the account's username
     * @param kind key or user
     * @param rights sdk, reader, analyst, owner, admin (lower case)
     */
    record WhoAmI(String name, String kind, List<String> rights) {}

    @GetMapping("/api/v1/whoami")
    @Operation(summary = "The caller's name, kind (key or user) and rights")
    WhoAmI whoami(Authentication authentication) {
        return new WhoAmI(
                authentication.getName(),
                authentication.getPrincipal() instanceof UserDetails ? "user" : "key",
                authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .map(a -> a.replaceFirst("^ROLE_", "").toLowerCase(java.util.Locale.ROOT))
                        .toList());
    }
}
