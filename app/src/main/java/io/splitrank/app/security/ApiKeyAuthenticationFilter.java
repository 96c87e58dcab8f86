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
import java.time.Duration;
import java.util.Locale;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <api key>}: a wrong or revoked key is a 401 at once; a
 * key over its rate limit (its own, or {@code splitrank.api.rate-limit} requests per second) is a
 * 429 with Retry-After. Each key has a token bucket (Bucket4j) of one second's requests, refilled
 * continuously; buckets of keys unused for ten minutes are dropped.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private static final String PREFIX = "bearer ";
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
