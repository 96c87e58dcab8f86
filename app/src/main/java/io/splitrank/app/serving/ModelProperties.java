package io.splitrank.app.serving;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of model serving.
 *
 * @param dir a directory of model artifacts ({@code <dir>/<key>/metadata.json} and parameters);
 *     unset: the artifacts the project ships
 * @param referenceArms whether to load the reference rankers {@code random} and {@code oracle} of
 *     the simulated marketplace (meaningful only when the traffic comes from that world, as in the
 *     demo)
 * @param maxCandidates the most candidates one {@code rank} call may carry
 */
@Validated
@ConfigurationProperties("splitrank.models")
public record ModelProperties(
        Path dir,
        @DefaultValue("false") boolean referenceArms,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxCandidates) {}
