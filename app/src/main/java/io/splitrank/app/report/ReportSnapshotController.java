package io.splitrank.app.report;

import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.problem.ApiProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stored report snapshots: the list, each one as JSON, CSV and HTML, and writing one now.
 * Package-private like every controller; writing is for admins (the security configuration gives
 * POSTs under /api to admins only).
 */
@RestController
@Tag(name = "Reports")
class ReportSnapshotController {

    private final ExperimentReadModel settingsReader;
    private final ReportSnapshots snapshots;
    private final ReportSnapshotWriter writer;
    private final JsonMapper json;

    ReportSnapshotController(
            ExperimentReadModel settingsReader,
            ReportSnapshots snapshots,
            ReportSnapshotWriter writer,
            JsonMapper json) {
        this.settingsReader = settingsReader;
        this.snapshots = snapshots;
        this.writer = writer;
        this.json = json;
    }

    /** A listing entry: id, when, phase, what wrote it and the decision at the time. */
    @Schema(name = "ReportSnapshotSummary", description = "A stored report snapshot")
    record SnapshotSummary(
            @Schema(description = "Snapshot id") long id,
            @Schema(description = "When it was written") java.time.Instant createdAt,
            @Schema(description = "The phase it reports on") int phase,
            @Schema(description = "schedule or manual") String trigger,
            @Schema(description = "The report's decision at the time") JsonNode decision) {}

    @GetMapping("/api/v1/experiments/{key}/reports")
    @Operation(
            summary =
                    "Stored report snapshots, newest first (id, createdAt, phase, trigger, decision)")
    Map<String, List<SnapshotSummary>> list(
            @PathVariable String key, @RequestParam(defaultValue = "100") int limit) {
        long id = settingsReader.settings(key, null).id();
        return Map.of(
                "reports",
                snapshots.list(id, Math.max(1, Math.min(limit, 1000))).stream()
                        .map(this::summary)
                        .toList());
    }

    @PostMapping("/api/v1/experiments/{key}/reports")
    @Operation(
            summary =
                    "Write a report snapshot of the current phase now (admin); calls the webhook if set")
    ResponseEntity<SnapshotSummary> write(@PathVariable String key) {
        ReportSnapshots.Entry entry = writer.write(key, "manual");
        return ResponseEntity.created(
                        URI.create("/api/v1/experiments/" + key + "/reports/" + entry.id()))
                .body(summary(entry));
    }

    @GetMapping(
            path = "/api/v1/experiments/{key}/reports/{id}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A stored snapshot: the report JSON as it was")
    ResponseEntity<String> json(@PathVariable String key, @PathVariable String id) {
        return body(key, id, ReportSnapshots.Format.JSON, MediaType.APPLICATION_JSON);
    }

    @GetMapping(path = "/api/v1/experiments/{key}/reports/{id}.csv", produces = "text/csv")
    @Operation(summary = "A stored snapshot as CSV, one row per metric and arm")
    ResponseEntity<String> csv(@PathVariable String key, @PathVariable String id) {
        return body(
                key,
                id,
                ReportSnapshots.Format.CSV,
                new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8));
    }

    @GetMapping(
            path = "/api/v1/experiments/{key}/reports/{id}.html",
            produces = MediaType.TEXT_HTML_VALUE)
    @Operation(summary = "A stored snapshot as a self-contained HTML page with inline SVG charts")
    ResponseEntity<String> html(@PathVariable String key, @PathVariable String id) {
        return body(
                key,
                id,
                ReportSnapshots.Format.HTML,
                new MediaType("text", "html", java.nio.charset.StandardCharsets.UTF_8));
    }

    private ResponseEntity<String> body(
            String key, String id, ReportSnapshots.Format format, MediaType type) {
        long experimentId = settingsReader.settings(key, null).id();
        long snapshotId;
        try {
            snapshotId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblemException.notFound("no report " + id + " of experiment " + key);
        }
        String body =
                snapshots
                        .body(experimentId, snapshotId, format)
                        .orElseThrow(
                                () ->
                                        ApiProblemException.notFound(
                                                "no report " + id + " of experiment " + key));
        return ResponseEntity.ok().contentType(type).body(body);
    }

    private SnapshotSummary summary(ReportSnapshots.Entry e) {
        return new SnapshotSummary(
                e.id(), e.createdAt(), e.phase(), e.trigger(), json.readTree(e.decisionJson()));
    }
}
