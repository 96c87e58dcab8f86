package io.splitrank.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.splitrank.app.Sha256;
import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: creating them (the secret is shown once, only its SHA-256 is kept), listing and
 * revoking them, and resolving bearer secrets. Lookups are cached for at most 30 s so that
 * authentication costs no database round trip per request; a revocation empties this node's cache
 * at once, and other nodes' entries expire within the 30 s.
 */
@Component
class ApiKeys {

    static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.:@-]{0,99}");
    static final int PREFIX_LENGTH = 10;

    private final ApiKeyRepository repository;
    private final SecurityAudit audit;
    private final Clock clock;

    /**
     * By the secret's hash: the key's principal, or empty for a secret that belongs to no valid
     * key.
     */
    private final Cache<String, Optional<ApiPrincipal>> cache =
            Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(10_000).build();

    /** When each key's last use was written, so that it is written at most once a minute. */
    private final Map<Long, Instant> lastUseWritten = new ConcurrentHashMap<>();

    ApiKeys(ApiKeyRepository repository, SecurityAudit audit, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    /** The key's principal, if the secret belongs to a key that is not revoked. */
    Optional<ApiPrincipal> authenticate(String secret) {
        Optional<ApiPrincipal> principal =
                cache.get(
                        sha256(secret),
                        hash ->
                                repository
                                        .findByKeyHashAndRevokedAtIsNull(hash)
                                        .map(
                                                k ->
                                                        new ApiPrincipal(
                                                                k.id,
                                                                k.name,
                                                                k.scope,
                                                                k.rateLimit)));
        principal.ifPresent(this::used);
        return principal;
    }

    private void used(ApiPrincipal p) {
        Instant now = clock.instant();
        Instant written = lastUseWritten.get(p.id());
        if (written == null || written.plus(LAST_USED_RESOLUTION).isBefore(now)) {
            lastUseWritten.put(p.id(), now);
            repository.used(p.id(), now);
        }
    }

    /** A key as listed: never its secret. */
    record KeyView(
            long id,
            String name,
            String scope,
            String prefix,
            int rateLimit,
            Instant createdAt,
            String createdBy,
            Instant lastUsedAt,
            Instant revokedAt,
            String revokedBy) {

        static KeyView of(ApiKeyEntity k) {
            return new KeyView(
                    k.id,
                    k.name,
                    k.scope,
                    k.prefix,
                    k.rateLimit,
                    k.createdAt,
                    k.createdBy,
                    k.lastUsedAt,
                    k.revokedAt,
                    k.revokedBy);
        }
    }

    /** A new key with its secret, which is shown this once. */
    record CreatedKey(KeyView key, String secret) {}

    /**
     * Creates a key; 400 naming each invalid field, 409 when the name is taken.
     *
     * @param rateLimit requests per second, or null for the platform's default
     */
    @Transactional
    CreatedKey create(String name, String scope, Integer rateLimit) {
        List<FieldProblem> errors = new ArrayList<>();
        if (name == null || !NAME.matcher(name).matches()) {
            errors.add(
                    new FieldProblem(
                            "name",
                            "required: 1 to 100 letters, digits, spaces and _ . : @ -, starting with a letter or digit"));
        }
        if (scope == null || !Authorities.SCOPES.contains(scope)) {
            errors.add(new FieldProblem("scope", "must be sdk, reader, writer or admin"));
        }
        if (rateLimit != null && rateLimit < 1) {
            errors.add(new FieldProblem("rateLimit", "requests per second, at least 1"));
        }
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(errors);
        }
        if (repository.existsByName(name)) {
            throw ApiProblemException.conflict("name", "a key named " + name + " exists");
        }
        String secret = newSecret();
        ApiKeyEntity k = new ApiKeyEntity();
        k.name = name;
        k.scope = scope;
        k.keyHash = sha256(secret);
        k.prefix = secret.substring(0, PREFIX_LENGTH);
        k.rateLimit = rateLimit == null ? 0 : rateLimit;
        k.createdAt = clock.instant();
        k.createdBy = SecurityAudit.actor();
        repository.save(k);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("scope", scope);
        detail.put("prefix", k.prefix);
        detail.put("rateLimit", k.rateLimit);
        audit.record("create-key", "key:" + k.id + " " + name, detail);
        return new CreatedKey(KeyView.of(k), secret);
    }

    /** Every key, oldest first, revoked ones included. */
    @Transactional(readOnly = true)
    List<KeyView> list() {
        return repository.findAllByOrderByIdAsc().stream().map(KeyView::of).toList();
    }

    /** Revokes a key: at once on this node, within {@link #TTL} on the others. */
    @Transactional
    KeyView revoke(long id) {
        ApiKeyEntity k =
                repository
                        .findById(id)
                        .orElseThrow(() -> ApiProblemException.notFound("no key with id " + id));
        if (k.revokedAt == null) {
            k.revokedAt = clock.instant();
            k.revokedBy = SecurityAudit.actor();
            repository.save(k);
            audit.record("revoke-key", "key:" + k.id + " " + k.name, Map.of("scope", k.scope));
        }
        cache.invalidateAll();
        return KeyView.of(k);
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
