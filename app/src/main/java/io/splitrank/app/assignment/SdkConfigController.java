package io.splitrank.app.assignment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Everything a client needs to assign locally with a GrowthBook-compatible SDK: per running
 * experiment the phase's seed, hash attribute and version, coverage, weights, condition and layer
 * (as GrowthBook's namespace). Served with an ETag so that clients can poll cheaply. GrowthBook's
 * own SDKs read the same experiments from {@code GET /api/features/{clientKey}} ({@link
 * FeaturesController}).
 */
@RestController
@Tag(name = "Assignment")
class SdkConfigController {

    private final SdkPayloads payloads;

    SdkConfigController(SdkPayloads payloads) {
        this.payloads = payloads;
    }

    @GetMapping("/api/v1/sdk-config")
    @Operation(
            summary =
                    "Running experiments in the form a client needs to assign locally (ETag, If-None-Match)")
    ResponseEntity<String> sdkConfig(
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        SdkPayloads.Rendered r = payloads.sdkConfig();
        if (ifNoneMatch != null && ifNoneMatch.contains(r.etag())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(r.etag()).build();
        }
        return ResponseEntity.ok()
                .eTag(r.etag())
                .cacheControl(CacheControl.noCache())
                .contentType(MediaType.APPLICATION_JSON)
                .body(r.body());
    }
}
