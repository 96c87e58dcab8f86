package io.splitrank.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.splitrank.app.Sha256;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Resolves bearer secrets to keys. Lookups are cached for a short time so that authentication costs
 * no database round trip per request, while a revoked key stops working within the TTL.
 */
@Component
class ApiKeys {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeyRepository repository;

    /**
     * By the secret's hash: the key's principal, or empty for a secret that belongs to no valid
     * key.
     */
    private final Cache<String, Optional<ApiPrincipal>> cache =
            Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build();

    ApiKeys(ApiKeyRepository repository) {
        this.repository = repository;
    }

    /** The key's name and role, if the secret belongs to a key that is not revoked. */
    Optional<ApiPrincipal> authenticate(String secret) {
        return cache.get(
                sha256(secret),
                hash ->
                        repository
                                .findByKeyHashAndRevokedAtIsNull(hash)
                                .map(k -> new ApiPrincipal(k.name, k.role)));
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
        cache.invalidateAll();
    }
}
