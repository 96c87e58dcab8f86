package io.splitrank.app.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no {@code spring.datasource.url}, the platform runs on a real PostgreSQL server of its own,
 * started from the binaries shipped in a Maven dependency, with its data under {@code
 * splitrank.data-dir} so that it survives restarts.
 *
 * <p>One Splitrank per data directory: it holds the directory's {@link DataDirectoryLock} from
 * before the server starts until after it stops, and a second one on the same directory fails at
 * once with a short message. A server left running by a Splitrank that was killed is shut down
 * before the new one starts ({@link LeftoverPostmaster}). The server is stopped by the application
 * context, after everything that uses it (the web server's graceful shutdown, the exposure buffer's
 * flush, the connection pool), never by a JVM shutdown hook of its own.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** Released after the server has stopped: Spring destroys a bean's dependents first. */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(DatabaseProperties properties) {
        return DataDirectoryLock.acquire(
                properties.dataDir().toAbsolutePath(), properties.dataDir().toString());
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(DatabaseProperties properties, DataDirectoryLock lock) {
        Path pgData = properties.dataDir().toAbsolutePath().resolve("postgres");
        boolean fsync = properties.embeddedPostgres().fsync();
        int port = properties.embeddedPostgres().port();
        try {
            // the lock created the data directory; lock held (no live Splitrank on the directory):
            // what is running there is an orphan
            LeftoverPostmaster.clear(
                    pgData, properties.dataDir().toString(), LeftoverPostmaster.Timeouts.DEFAULT);
            EmbeddedPostgres.Builder builder =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(pgData)
                            .setCleanDataDirectory(properties.embeddedPostgres().clean())
                            // the library's own hook would stop the server as soon as the JVM is
                            // asked to exit, while graceful shutdown still drains requests and
                            // the exposure buffer: the context stops it (destroyMethod), last
                            .setRegisterShutdownHook(false)
                            .setServerConfig("max_connections", "100")
                            // the library is made for tests and starts the server with -F (no
                            // fsync): acknowledged
                            // writes must survive a crash, so fsync is back on unless a test run
                            // turns it off
                            .setServerConfig("fsync", fsync ? "on" : "off")
                            .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), pgData);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start the embedded PostgreSQL in " + pgData, e);
        }
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(
            EmbeddedPostgres postgres,
            @Value("${spring.datasource.hikari.maximum-pool-size:20}") int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("splitrank-embedded");
        return new HikariDataSource(config);
    }

    @Bean
    SessionPriority localPostgresProcesses(EmbeddedPostgres postgres) throws SQLException {
        // the server says where its data is (the data-dir property may be random per resolution, as
        // in tests)
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("show data_directory")) {
            rs.next();
            return new LocalPostgresProcesses(Path.of(rs.getString(1)));
        }
    }

    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}
