package io.splitrank.app.security;

import io.splitrank.app.Sha256;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Resolves bearer secrets to keys. Lookups are cached for a short time so that authentication
 * costs no database round trip per request, while a revoked key stops working within the TTL.
 */
@Component
class ApiKeys {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository repository;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ApiKeys(ApiKeyRepository repository) {
        this.repository = repository;
    }

    /** The key's name and role, if the secret belongs to a key that is not revoked. */
    Optional<ApiPrincipal> authenticate(String secret) {
        String hash = sha256(secret);
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached != null && now - cached.loadedAt < TTL.toNanos()) {
            return Optional.ofNullable(cached.principal);
        }
        ApiPrincipal principal = repository.findByKeyHashAndRevokedAtIsNull(hash)
                .map(k -> new ApiPrincipal(k.name, k.role)).orElse(null);
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(hash, new Cached(principal, now));
        return Optional.ofNullable(principal);
    }

    static String newSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "sk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String secret) {
        return Sha256.hex(secret);
    }

    void evict() {
        cache.clear();
    }

    private record Cached(ApiPrincipal principal, long loadedAt) {
    }
}
