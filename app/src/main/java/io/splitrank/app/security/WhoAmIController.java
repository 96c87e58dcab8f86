package io.splitrank.app.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets a client check its key: who it is and what its role allows. Also the cheapest authenticated
 * call.
 */
@RestController
@Tag(name = "Keys")
class WhoAmIController {

    record WhoAmI(String name, List<String> roles) {}

    @GetMapping("/api/v1/whoami")
    @Operation(summary = "The calling key's name and roles")
    WhoAmI whoami(Authentication authentication) {
        return new WhoAmI(
                authentication.getName(),
                authentication.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .map(a -> a.replaceFirst("^ROLE_", "").toLowerCase(java.util.Locale.ROOT))
                        .toList());
    }
}
