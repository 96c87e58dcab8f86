package io.splitrank.app.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API keys, for admins: create (the secret is shown once), list, revoke. */
@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "Keys", description = "API keys and their scopes")
class KeyController {

    private final ApiKeys keys;

    KeyController(ApiKeys keys) {
        this.keys = keys;
    }

    /** A key to create. */
    record KeyRequest(
            @Schema(
                            description = "Unique name, e.g. the service that uses it",
                            example = "feed-ranker")
                    String name,
            @Schema(
                            description =
                                    "sdk (assign, rank, events, exposures, SDK configuration), reader (reads),"
                                            + " writer (sdk + analysis + reads) or admin")
                    String scope,
            @Schema(description = "Requests per second (default: splitrank.api.rate-limit)")
                    Integer rateLimit) {}

    @PostMapping
    @Operation(summary = "Create a key; its secret is in this answer only")
    ResponseEntity<ApiKeys.CreatedKey> create(@RequestBody KeyRequest request) {
        ApiKeys.CreatedKey created =
                keys.create(request.name(), request.scope(), request.rateLimit());
        return ResponseEntity.created(URI.create("/api/v1/keys/" + created.key().id()))
                .body(created);
    }

    @GetMapping
    @Operation(summary = "Every key: name, scope, prefix, created, last used, revoked")
    List<ApiKeys.KeyView> list() {
        return keys.list();
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key: at once on this node, within 30 s on the others")
    ApiKeys.KeyView revoke(@PathVariable long id) {
        return keys.revoke(id);
    }
}
