package io.splitrank.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Authenticates {@code Authorization: Bearer <api key>}, or for GrowthBook's SDK endpoints the
 * client key in the path ({@link #clientKeyInPath}): a wrong or revoked key is a 401 at once; a key
 * over its rate limit (its own, or {@code splitrank.api.rate-limit} requests per second) is a 429
 * with Retry-After. Each key has a token bucket (Bucket4j) of one second's requests, refilled
 * continuously; buckets of keys unused for ten minutes are dropped.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String PREFIX = "bearer ";

    /** The paths that end in a client key: GrowthBook's features payload and its stream. */
    static final List<String> CLIENT_KEY_PATHS = List.of("/api/features/", "/sub/");

    private final ApiKeys keys;
    private final ProblemAuthenticationEntryPoint entryPoint;
    private final int defaultRateLimit;
    private final Cache<Long, Bucket> buckets =
            Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).build();

    ApiKeyAuthenticationFilter(
            ApiKeys keys, ProblemAuthenticationEntryPoint entryPoint, int defaultRateLimit) {
        this.keys = keys;
        this.entryPoint = entryPoint;
        this.defaultRateLimit = defaultRateLimit;
    }

    @Override
    protected void doFilterInternal(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String secret = clientKeyInPath(request);
        if (secret == null) {
            String header = request.getHeader("Authorization");
            if (header != null
                    && header.length() > PREFIX.length()
                    && header.substring(0, PREFIX.length())
                            .toLowerCase(Locale.ROOT)
                            .equals(PREFIX)) {
                secret = header.substring(PREFIX.length()).trim();
            }
        }
        if (secret != null) {
            ApiPrincipal principal = keys.authenticate(secret).orElse(null);
            if (principal == null) {
                entryPoint.reject(response, "the API key is unknown or revoked");
                return;
            }
            int limit = principal.rateLimit() > 0 ? principal.rateLimit() : defaultRateLimit;
            Bucket bucket = buckets.get(principal.id(), id -> bucket(limit));
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                long seconds =
                        Math.max(
                                1,
                                (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
                entryPoint.tooManyRequests(
                        response,
                        seconds,
                        "key "
                                + principal.name()
                                + " is over its rate limit of "
                                + limit
                                + " requests per second; retry after "
                                + seconds
                                + " s");
                return;
            }
            var auth =
                    new UsernamePasswordAuthenticationToken(
                            principal.name(), null, Authorities.ofScope(principal.scope()));
            SecurityContextHolder.getContext().setAuthentication(auth);
        }
        chain.doFilter(request, response);
    }

    /**
     * The client key of GrowthBook's SDK endpoints, {@code GET /api/features/{clientKey}} and
     * {@code GET /sub/{clientKey}}: the SDKs send it in the path and no header, so there it is the
     * request's only credential (a bearer header is ignored). Null for every other request.
     */
    static String clientKeyInPath(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return null;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String prefix : CLIENT_KEY_PATHS) {
            if (path.startsWith(prefix)) {
                String key = path.substring(prefix.length());
                if (key.isEmpty() || key.indexOf('/') >= 0) {
                    return null;
                }
                return UriUtils.decode(key, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Bucket bucket(int perSecond) {
        return Bucket.builder()
                .addLimit(
                        Bandwidth.builder()
                                .capacity(perSecond)
                                .refillGreedy(perSecond, Duration.ofSeconds(1))
                                .build())
                .build();
    }
}
