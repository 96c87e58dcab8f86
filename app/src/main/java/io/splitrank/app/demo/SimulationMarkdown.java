package io.splitrank.app.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A simulation's results as Markdown: the platform's own report, per arm, beside the simulator's
 * tally of what it sent, and each arm's share of the oracle's eCPM lift over the control.
 */
final class SimulationMarkdown {

    private static final List<String> METRICS =
            List.of(
                    "ecpm",
                    "ctr",
                    "cvr",
                    "cvr:install",
                    "cvr:register",
                    "cvr:purchase",
                    "ctcvr",
                    "value_per_unit",
                    "impressions_per_unit");

    private SimulationMarkdown() {}

    /**
     * Whether the report counts exactly the impressions, clicks, conversions and revenue the tally
     * sent.
     */
    static boolean matches(JsonNode report, SimulationTally tally) {
        for (Map.Entry<String, SimulationTally.Arm> e : tally.arms().entrySet()) {
            if (e.getKey().equals(SimulationTally.OUTSIDE)) {
                continue;
            }
            SimulationTally.Arm a = e.getValue();
            JsonNode ctr = arm(report, "ctr", e.getKey());
            JsonNode ecpm = arm(report, "ecpm", e.getKey());
            JsonNode cvr = arm(report, "cvr", e.getKey());
            if (ctr == null
                    || ecpm == null
                    || cvr == null
                    || ctr.path("denominator").asDouble() != a.impressions()
                    || ctr.path("numerator").asDouble() != a.clicks()
                    || cvr.path("numerator").asDouble() != a.allConversions()
                    || Math.abs(ecpm.path("numerator").asDouble() - a.revenue())
                            > 1e-6 * Math.max(1, a.revenue())) {
                return false;
            }
        }
        return true;
    }

    static String write(
            SimulationOptions o,
            SimulationTally tally,
            JsonNode report,
            Duration took,
            String command) {
        StringBuilder md = new StringBuilder();
        md.append("## Run\n\n| | |\n|---|---|\n");
        row(
                md,
                "command",
                "`java -jar app/target/splitrank.jar "
                        + command.replace("--key=" + o.apiKey(), "--key=$KEY")
                        + "`");
        row(md, "finished (UTC)", Instant.now().toString());
        row(md, "duration", String.format(Locale.ROOT, "%.1f min", took.toSeconds() / 60.0));
        row(
                md,
                "simulated users / requests per user",
                String.format(Locale.ROOT, "%,d / %d", tally.users(), o.requestsPerUser()));
        row(
                md,
                "candidates K / slots S / seed",
                o.candidates() + " / " + o.slots() + " / " + o.seed());
        row(
                md,
                "events accepted / failed requests or batches",
                String.format(Locale.ROOT, "%,d / %,d", tally.events(), tally.errors()));
        row(
                md,
                "report phase / SRM p-value",
                report.path("phase").asInt() + " / " + num(report.path("srm").path("pValue")));
        row(
                md,
                "report equals the simulator's tally (impressions, clicks, conversions, revenue per arm)",
                matches(report, tally) ? "yes" : "**no**");
        md.append("\n## What was sent, per arm (the simulator's tally)\n\n")
                .append(
                        "| arm | units | requests | impressions | clicks | conversions by type | revenue |\n")
                .append("|---|---|---|---|---|---|---|\n");
        tally.arms()
                .forEach(
                        (arm, a) ->
                                md.append(
                                        String.format(
                                                Locale.ROOT,
                                                "| %s | %,d | %,d | %,d | %,d | %s | %,.2f |%n",
                                                arm,
                                                a.units(),
                                                a.requests(),
                                                a.impressions(),
                                                a.clicks(),
                                                a.conversions(),
                                                a.revenue())));
        md.append(
                "\n## The platform's report\n\nLift is relative to the control arm; intervals are 95% (fixed-horizon"
                        + " Welch / delta method, and the always-valid sequential interval); p-values as the report gives"
                        + " them (`adjusted` after the experiment's correction).\n");
        for (String metric : METRICS) {
            JsonNode arms = metricArms(report, metric);
            if (arms == null) {
                continue;
            }
            md.append("\n### ")
                    .append(metric)
                    .append(
                            "\n\n| arm | units | value | lift | 95% CI | sequential CI | p-value"
                                    + " | adjusted | chance to win |\n|---|---|---|---|---|---|---|---|---|\n");
            for (JsonNode a : arms) {
                JsonNode c = a.path("comparison");
                md.append("| ")
                        .append(a.path("key").asString())
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%,d", a.path("units").asLong()))
                        .append(" | ")
                        .append(num(a.path("value")))
                        .append(" | ")
                        .append(c.isMissingNode() ? "control" : pct(c.path("estimate")))
                        .append(" | ")
                        .append(ci(c.path("fixedHorizon").path("ci")))
                        .append(" | ")
                        .append(ci(c.path("sequential").path("ci")))
                        .append(" | ")
                        .append(num(c.path("fixedHorizon").path("pValue")))
                        .append(" | ")
                        .append(num(c.path("adjustedPValue")))
                        .append(" | ")
                        .append(share(c.path("bayesian").path("chanceToWin")))
                        .append(" |\n");
            }
        }
        md.append(oracleShare(report));
        return md.toString();
    }

    /**
     * Each arm's eCPM lift over the control as a share of the oracle's (when an oracle arm ran).
     */
    private static String oracleShare(JsonNode report) {
        JsonNode arms = metricArms(report, "ecpm");
        if (arms == null || arms.isEmpty()) {
            return "";
        }
        double control = arms.get(0).path("value").asDouble();
        JsonNode oracle = arm(report, "ecpm", "oracle");
        if (oracle == null || oracle.path("value").asDouble() == control) {
            return "";
        }
        double best = oracle.path("value").asDouble() - control;
        List<String> rows = new ArrayList<>();
        for (JsonNode a : arms) {
            double lift = a.path("value").asDouble() - control;
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| %s | %.4f | %+.4f | %+.1f%% |",
                            a.path("key").asString(),
                            a.path("value").asDouble(),
                            lift,
                            100 * lift / best));
        }
        return "\n### Share of the oracle's eCPM lift over the control\n\n| arm | eCPM | eCPM − control | share of"
                + " oracle − control |\n|---|---|---|---|\n"
                + String.join("\n", rows)
                + "\n";
    }

    private static JsonNode metricArms(JsonNode report, String metric) {
        for (JsonNode m : report.path("metrics")) {
            if (m.path("metric").asString().equals(metric)) {
                return m.path("arms");
            }
        }
        return null;
    }

    private static JsonNode arm(JsonNode report, String metric, String arm) {
        JsonNode arms = metricArms(report, metric);
        if (arms != null) {
            for (JsonNode a : arms) {
                if (a.path("key").asString().equals(arm)) {
                    return a;
                }
            }
        }
        return null;
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    private static String num(JsonNode n) {
        if (!n.isNumber()) {
            return "–";
        }
        double v = n.asDouble();
        return Math.abs(v) >= 1000
                ? String.format(Locale.ROOT, "%,.1f", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String pct(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%+.2f%%", 100 * n.asDouble()) : "–";
    }

    private static String share(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.1f%%", 100 * n.asDouble()) : "–";
    }

    private static String ci(JsonNode ci) {
        if (!ci.isArray() || ci.size() != 2 || !ci.get(0).isNumber() || !ci.get(1).isNumber()) {
            return "–";
        }
        return String.format(
                Locale.ROOT,
                "[%+.2f%%, %+.2f%%]",
                100 * ci.get(0).asDouble(),
                100 * ci.get(1).asDouble());
    }
}
