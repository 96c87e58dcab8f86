package io.splitrank.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every table has one owning package, and a package's SQL names only the tables it owns or that
 * another package publishes to it (a log it consumes, a view it may read). Read from the sources
 * and the migrations, so a new table without an owner, or a query into another package's table,
 * fails.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/io/splitrank/app");
    private static final Path MIGRATIONS =
            Path.of("../db-migrations/src/main/resources/db/migration");

    /** Table (or view) → owning package. */
    private static final Map<String, String> OWNER =
            new TreeMap<>(
                    Map.ofEntries(
                            Map.entry("experiment", "experiment"),
                            Map.entry("experiment_arm", "experiment"),
                            Map.entry("experiment_phase", "experiment"),
                            Map.entry("audit_log", "experiment"),
                            Map.entry("experiment_coverage", "experiment"),
                            Map.entry("experiment_phase_window", "experiment"),
                            Map.entry("exposure", "assignment"),
                            Map.entry("exposure_pending", "assignment"),
                            Map.entry("event", "ingest"),
                            Map.entry("event_batch_pending", "ingest"),
                            Map.entry("event_id_seen", "ingest"),
                            Map.entry("event_consumer_offset", "ingest"),
                            Map.entry("report_schedule", "report"),
                            Map.entry("report_snapshot", "report"),
                            Map.entry("decision_state", "report"),
                            Map.entry("api_key", "security"),
                            Map.entry("dashboard_user", "security"),
                            Map.entry("security_audit", "security"),
                            Map.entry("interleaved_ranking", "serving")));

    /**
     * What a package publishes to another: the event and exposure logs and their pending queues are
     * the aggregator's input (it clears the queues as it attributes them), and the phase-window
     * view is the experiment package's read model for SQL; the interleaved rankings are the
     * aggregator's input for crediting clicks and conversions to arms.
     */
    private static final Map<String, Set<String>> PUBLISHED_TO =
            Map.of(
                    "aggregate",
                    Set.of(
                            "event",
                            "event_batch_pending",
                            "exposure",
                            "exposure_pending",
                            "experiment_phase_window",
                            "interleaved_ranking"));

    private static final Pattern CREATED =
            Pattern.compile(
                    "(?i)create\\s+(?:unlogged\\s+)?(?:table|(?:or\\s+replace\\s+)?view)\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");

    private static String owner(String table) {
        return table.startsWith("agg_") ? "aggregate" : OWNER.get(table);
    }

    private static Set<String> tables() throws IOException {
        Set<String> tables = new TreeSet<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Matcher m = CREATED.matcher(Files.readString(f));
                while (m.find()) {
                    tables.add(m.group(1).toLowerCase());
                }
            }
        }
        return tables;
    }

    @Test
    void everyTableHasAnOwningPackage() throws IOException {
        Set<String> tables = tables();
        assertThat(tables).contains("experiment", "event", "exposure", "agg_unit");
        assertThat(tables)
                .allSatisfy(t -> assertThat(owner(t)).as("owner of table " + t).isNotNull());
    }

    @Test
    void aPackageQueriesOnlyItsOwnTablesAndWhatIsPublishedToIt() throws IOException {
        Set<String> tables = tables();
        List<String> violations = new ArrayList<>();
        int queriesSeen = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue;
                }
                String pkg = relative.getName(0).toString();
                String source = Files.readString(file);
                for (String table : tables) {
                    Pattern query =
                            Pattern.compile(
                                    "(?i)\\b(from|join|into|update|copy|table|exists)\\s+(only\\s+)?"
                                            + table
                                            + "\\b(?!_)");
                    if (!query.matcher(source).find()) {
                        continue;
                    }
                    queriesSeen++;
                    boolean allowed =
                            pkg.equals(owner(table))
                                    || PUBLISHED_TO.getOrDefault(pkg, Set.of()).contains(table);
                    if (!allowed) {
                        violations.add(
                                relative + " reads " + table + " of package " + owner(table));
                    }
                }
            }
        }
        assertThat(queriesSeen)
                .as("SQL found in the sources (or the scan is broken)")
                .isGreaterThan(10);
        assertThat(violations).isEmpty();
    }
}
