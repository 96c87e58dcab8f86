package io.splitrank.app.database;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the embedded PostgreSQL, the database when no {@code spring.datasource.url} is set.
 *
 * @param dataDir where it keeps its data (under {@code <data-dir>/postgres})
 * @param embeddedPostgres how it runs
 */
@Validated
@ConfigurationProperties("splitrank")
public record DatabaseProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue @Valid EmbeddedPostgres embeddedPostgres) {

    /**
     * How the embedded PostgreSQL runs.
     *
     * @param clean start from an empty data directory (tests)
     * @param port its port; 0 picks a free one
     * @param fsync whether it syncs its writes to disk (off only for throw-away databases)
     */
    public record EmbeddedPostgres(
            @DefaultValue("false") boolean clean,
            @DefaultValue("0") @Min(0) @Max(65535) int port,
            @DefaultValue("true") boolean fsync) {}
}
