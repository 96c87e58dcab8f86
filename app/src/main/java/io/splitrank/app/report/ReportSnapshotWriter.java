package io.splitrank.app.report;

import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.ExperimentSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a report snapshot: computes the live report of the current phase, renders it as JSON, CSV
 * and HTML, stores all three (so a snapshot never changes) and then notifies the experiment's
 * webhook.
 */
@Service
class ReportSnapshotWriter {

    private final ExperimentReadModel settingsReader;
    private final ReportService reports;
    private final ReportSnapshots snapshots;
    private final ReportWebhook webhook;
    private final JsonMapper json;
    private final Clock clock;
    private final String publicUrl;

    ReportSnapshotWriter(
            ExperimentReadModel settingsReader,
            ReportService reports,
            ReportSnapshots snapshots,
            ReportWebhook webhook,
            JsonMapper json,
            Clock clock,
            ReportProperties properties) {
        this.settingsReader = settingsReader;
        this.reports = reports;
        this.snapshots = snapshots;
        this.webhook = webhook;
        this.json = json;
        this.clock = clock;
        String publicUrl = properties.publicUrl();
        this.publicUrl =
                publicUrl.endsWith("/")
                        ? publicUrl.substring(0, publicUrl.length() - 1)
                        : publicUrl;
    }

    /**
     * Writes a snapshot of the experiment's current phase; 404 problem when there is no such
     * experiment.
     */
    ReportSnapshots.Entry write(String key, String trigger) {
        return write(settingsReader.settings(key, null), trigger, clock.instant());
    }

    ReportSnapshots.Entry write(ExperimentSettings settings, String trigger, Instant at) {
        ExperimentReport report = reports.report(settings, null);
        String decisionJson = json.writeValueAsString(report.decision());
        long id =
                snapshots.insert(
                        settings.id(),
                        settings.phase(),
                        at,
                        trigger,
                        report.decision().outcome(),
                        decisionJson,
                        json.writeValueAsString(report),
                        ReportCsv.render(report),
                        ReportHtml.render(report, at));
        if (settings.options().webhookUrl() != null) {
            String url = settings.options().webhookUrl();
            String secret = settings.webhookSecret();
            String body = json.writeValueAsString(summary(settings, report, id, at));
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                // inside the scheduler's claim transaction: call out only once the snapshot is
                // committed
                TransactionSynchronizationManager.registerSynchronization(
                        new TransactionSynchronization() {
                            @Override
                            public void afterCommit() {
                                webhook.send(url, body, secret);
                            }
                        });
            } else {
                webhook.send(url, body, secret);
            }
        }
        return new ReportSnapshots.Entry(
                id, at, settings.phase(), trigger, report.decision().outcome(), decisionJson);
    }

    private Map<String, Object> summary(
            ExperimentSettings settings, ExperimentReport report, long id, Instant at) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("experiment", settings.key());
        summary.put("reportId", id);
        summary.put("phase", settings.phase());
        summary.put("createdAt", at.toString());
        ReportDecision d = report.decision();
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("outcome", d.outcome());
        if (d.arm() != null) {
            decision.put("arm", d.arm());
        }
        decision.put("reasons", d.reasons());
        summary.put("decision", decision);
        List<Map<String, Object>> lifts = new ArrayList<>();
        for (ReportDecision.Verdict v : d.primary().arms()) {
            Map<String, Object> lift = new LinkedHashMap<>();
            lift.put("arm", v.arm());
            lift.put("lift", v.estimate());
            lift.put("test", d.primary().test());
            lift.put("ci", v.ci());
            lift.put("pValue", v.pValue());
            lift.put("verdict", v.verdict());
            lifts.add(lift);
        }
        summary.put("primary", Map.of("metric", d.primary().metric(), "arms", lifts));
        String base = publicUrl + "/api/v1/experiments/" + settings.key() + "/reports/" + id;
        summary.put("links", Map.of("json", base, "csv", base + ".csv", "html", base + ".html"));
        return summary;
    }
}
