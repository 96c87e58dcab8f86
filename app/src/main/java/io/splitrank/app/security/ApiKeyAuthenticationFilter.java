package io.splitrank.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer <api key>}; a wrong key is a 401 at once. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String PREFIX = "bearer ";
    private final ApiKeys keys;
    private final ProblemAuthenticationEntryPoint entryPoint;

    ApiKeyAuthenticationFilter(ApiKeys keys, ProblemAuthenticationEntryPoint entryPoint) {
        this.keys = keys;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null
                && header.length() > PREFIX.length()
                && header.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
            String secret = header.substring(PREFIX.length()).trim();
            ApiPrincipal principal = keys.authenticate(secret).orElse(null);
            if (principal == null) {
                entryPoint.reject(response, "the API key is unknown or revoked");
                return;
            }
            var auth =
                    new UsernamePasswordAuthenticationToken(
                            principal.name(),
                            null,
                            List.of(
                                    new SimpleGrantedAuthority(
                                            "ROLE_" + principal.role().toUpperCase(Locale.ROOT))));
            SecurityContextHolder.getContext().setAuthentication(auth);
        }
        chain.doFilter(request, response);
    }
}
