package io.splitrank.app.report;

import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.app.report.ExperimentReport.TimeseriesPoint;
import io.splitrank.stats.Comparison;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as one self-contained HTML page (inline CSS and SVG, no scripts, no external assets), so
 * that it can be mailed, archived or opened offline: the decision, the sample ratio check, a table
 * of every metric and arm, a lift chart with fixed-horizon and always-valid intervals per metric,
 * and the cumulative lift over time of each decision metric.
 */
final class ReportHtml {

    private static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"
    };

    private ReportHtml() {}

    static String render(ExperimentReport r, Instant createdAt) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Report ")
                .append(esc(r.experiment()))
                .append(" phase ")
                .append(r.phase())
                .append("</title>\n<style>")
                .append(
                        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
                .append(
                        "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append(
                        "th{background:#f3f3f3}td.l,th.l{text-align:left}.ship{color:#2ca02c}.rollback{color:#d62728}")
                .append(
                        ".continue,.inconclusive{color:#b8860b}.sig{font-weight:bold}svg{display:block;margin:0.5em 0}</style>")
                .append("</head><body>\n");
        h.append("<h1>")
                .append(esc(r.experiment()))
                .append("</h1>\n<p>Phase ")
                .append(r.phase())
                .append(", ")
                .append(esc(r.status()))
                .append(r.scenario() == null ? "" : ", scenario " + esc(r.scenario()))
                .append(". Data as of ")
                .append(r.updatedAt())
                .append("; report written ")
                .append(createdAt)
                .append(".</p>\n");
        ReportDecision d = r.decision();
        if (d != null) {
            h.append("<h2>Decision: <span class=\"")
                    .append(esc(d.outcome()))
                    .append("\">")
                    .append(esc(d.outcome()))
                    .append(d.arm() == null ? "" : " " + esc(d.arm()))
                    .append("</span></h2>\n<ul>");
            d.reasons().forEach(reason -> h.append("<li>").append(esc(reason)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<p>Sample ratio check: p = ")
                .append(r.srm() == null ? "n/a" : fmt(r.srm().pValue()))
                .append(
                        r.srm() != null && r.srm().mismatch()
                                ? " <b class=\"rollback\">mismatch</b>"
                                : " (no mismatch)")
                .append(
                        "</p>\n<table><tr><th class=\"l\">arm</th><th class=\"l\">model</th><th>units</th></tr>\n");
        for (ExperimentReport.ArmUnits a : r.arms()) {
            h.append("<tr><td class=\"l\">")
                    .append(esc(a.key()))
                    .append("</td><td class=\"l\">")
                    .append(esc(a.model()))
                    .append("</td><td>")
                    .append(a.units())
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Metrics</h2>\n");
        metricTable(h, r);
        h.append(
                "<h2>Lift against the control</h2>\n<p>Thin line: fixed-horizon interval; thick line: always-valid"
                        + " (sequential) interval; dot: estimate.</p>\n");
        h.append(liftChart(r));
        if (!r.timeseries().isEmpty()) {
            h.append("<h2>Cumulative lift over time</h2>\n");
            Map<String, List<TimeseriesPoint>> byMetric = new LinkedHashMap<>();
            r.timeseries()
                    .forEach(
                            p ->
                                    byMetric.computeIfAbsent(p.metric(), k -> new ArrayList<>())
                                            .add(p));
            byMetric.forEach(
                    (metric, points) ->
                            h.append("<h3>")
                                    .append(esc(metric))
                                    .append("</h3>\n")
                                    .append(timeChart(points)));
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void metricTable(StringBuilder h, ExperimentReport r) {
        h.append(
                        "<table><tr><th class=\"l\">metric</th><th class=\"l\">arm</th><th>units</th><th>numerator</th>")
                .append(
                        "<th>denominator</th><th>value</th><th>lift</th><th>CI</th><th>p</th><th>sequential CI</th>")
                .append("<th>sequential p</th><th>chance to win</th><th>adjusted p</th></tr>\n");
        for (MetricReport m : r.metrics()) {
            for (ArmMetric a : m.arms()) {
                Comparison c = a.comparison();
                boolean computed = c != null && c.computed();
                boolean sig =
                        computed
                                && (c.sequential().ci().get(0) > 0
                                        || c.sequential().ci().get(1) < 0);
                h.append("<tr")
                        .append(sig ? " class=\"sig\"" : "")
                        .append("><td class=\"l\">")
                        .append(esc(m.metric()))
                        .append("</td><td class=\"l\">")
                        .append(esc(a.key()))
                        .append("</td><td>")
                        .append(a.units())
                        .append("</td><td>")
                        .append(fmt(a.numerator()))
                        .append("</td><td>")
                        .append(fmt(a.denominator()))
                        .append("</td><td>")
                        .append(fmt(a.value()))
                        .append("</td>");
                if (computed) {
                    h.append("<td>")
                            .append(fmt(c.estimate()))
                            .append("</td><td>")
                            .append(ci(c.fixedHorizon().ci()))
                            .append("</td><td>")
                            .append(fmt(c.fixedHorizon().pValue()))
                            .append("</td><td>")
                            .append(ci(c.sequential().ci()))
                            .append("</td><td>")
                            .append(fmt(c.sequential().pValue()))
                            .append("</td><td>")
                            .append(c.bayesian() == null ? "" : fmt(c.bayesian().chanceToWin()))
                            .append("</td><td>")
                            .append(fmt(c.adjustedPValue()))
                            .append("</td>");
                } else {
                    h.append("<td class=\"l\" colspan=\"7\">")
                            .append(c == null ? "control" : esc(c.error()))
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");
    }

    /**
     * One row per metric × treatment: the estimate, its fixed-horizon and its sequential interval.
     */
    private static String liftChart(ExperimentReport r) {
        record Row(String label, Comparison c) {}
        List<Row> rows = new ArrayList<>();
        for (MetricReport m : r.metrics()) {
            for (ArmMetric a : m.arms()) {
                if (a.comparison() != null && a.comparison().computed()) {
                    rows.add(new Row(m.metric() + " · " + a.key(), a.comparison()));
                }
            }
        }
        if (rows.isEmpty()) {
            return "<p>No comparison can be computed yet.</p>\n";
        }
        double lo = 0;
        double hi = 0;
        for (Row row : rows) {
            lo =
                    Math.min(
                            lo,
                            Math.min(
                                    row.c().sequential().ci().get(0),
                                    row.c().fixedHorizon().ci().get(0)));
            hi =
                    Math.max(
                            hi,
                            Math.max(
                                    row.c().sequential().ci().get(1),
                                    row.c().fixedHorizon().ci().get(1)));
        }
        double span = Math.max(hi - lo, 1e-9);
        int left = 220;
        int width = 460;
        int rowHeight = 18;
        int height = rows.size() * rowHeight + 30;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(left + width + 20)
                .append("\" height=\"")
                .append(height)
                .append("\" font-size=\"11\">\n");
        double zero = left + (0 - lo) / span * width;
        s.append(line(zero, 5, zero, height - 20, "#999", 1));
        s.append(text(left, height - 5, fmt(lo), "start"))
                .append(text(left + width, height - 5, fmt(hi), "end"))
                .append(text(zero, height - 5, "0", "middle"));
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            double y = 15 + i * rowHeight;
            String colour =
                    row.c().sequential().ci().get(0) > 0
                            ? "#2ca02c"
                            : row.c().sequential().ci().get(1) < 0 ? "#d62728" : "#555";
            s.append(text(left - 8, y + 4, row.label(), "end"));
            s.append(
                    line(
                            x(row.c().fixedHorizon().ci().get(0), lo, span, left, width),
                            y,
                            x(row.c().fixedHorizon().ci().get(1), lo, span, left, width),
                            y,
                            colour,
                            1));
            s.append(
                    line(
                                    x(row.c().sequential().ci().get(0), lo, span, left, width),
                                    y,
                                    x(row.c().sequential().ci().get(1), lo, span, left, width),
                                    y,
                                    colour,
                                    4)
                            .replace("/>", " stroke-opacity=\"0.35\"/>"));
            s.append("<circle cx=\"")
                    .append(num(x(row.c().estimate(), lo, span, left, width)))
                    .append("\" cy=\"")
                    .append(num(y))
                    .append("\" r=\"3\" fill=\"")
                    .append(colour)
                    .append("\"/>\n");
        }
        return s.append("</svg>\n").toString();
    }

    /** Cumulative lift per day, one line per treatment, with its sequential interval as a band. */
    private static String timeChart(List<TimeseriesPoint> points) {
        List<String> days =
                points.stream().map(p -> p.date().toString()).distinct().sorted().toList();
        Map<String, List<TimeseriesPoint>> byArm = new LinkedHashMap<>();
        points.forEach(p -> byArm.computeIfAbsent(p.arm(), k -> new ArrayList<>()).add(p));
        double lo = 0;
        double hi = 0;
        for (TimeseriesPoint p : points) {
            lo = Math.min(lo, p.ci().get(0));
            hi = Math.max(hi, p.ci().get(1));
        }
        double span = Math.max(hi - lo, 1e-9);
        int left = 60;
        int width = 560;
        int height = 200;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(left + width + 120)
                .append("\" height=\"")
                .append(height + 30)
                .append("\" font-size=\"11\">\n");
        double zeroY = y(0, lo, span, height);
        s.append(line(left, zeroY, left + width, zeroY, "#999", 1));
        s.append(text(left - 4, y(hi, lo, span, height) + 4, fmt(hi), "end"))
                .append(text(left - 4, y(lo, lo, span, height) + 4, fmt(lo), "end"))
                .append(text(left, height + 20, days.get(0), "start"))
                .append(text(left + width, height + 20, days.get(days.size() - 1), "end"));
        int colour = 0;
        for (Map.Entry<String, List<TimeseriesPoint>> arm : byArm.entrySet()) {
            String c = COLOURS[colour++ % COLOURS.length];
            StringBuilder upper = new StringBuilder();
            StringBuilder lower = new StringBuilder();
            StringBuilder mid = new StringBuilder();
            for (TimeseriesPoint p : arm.getValue()) {
                double px =
                        days.size() == 1
                                ? left + width / 2.0
                                : left
                                        + (double) days.indexOf(p.date().toString())
                                                / (days.size() - 1)
                                                * width;
                upper.append(num(px))
                        .append(',')
                        .append(num(y(p.ci().get(1), lo, span, height)))
                        .append(' ');
                lower.insert(0, num(px) + "," + num(y(p.ci().get(0), lo, span, height)) + " ");
                mid.append(num(px))
                        .append(',')
                        .append(num(y(p.cumulativeLift(), lo, span, height)))
                        .append(' ');
                s.append("<circle cx=\"")
                        .append(num(px))
                        .append("\" cy=\"")
                        .append(num(y(p.cumulativeLift(), lo, span, height)))
                        .append("\" r=\"2.5\" fill=\"")
                        .append(c)
                        .append("\"/>\n");
            }
            s.append("<polygon points=\"")
                    .append(upper)
                    .append(lower)
                    .append("\" fill=\"")
                    .append(c)
                    .append("\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
            s.append("<polyline points=\"")
                    .append(mid)
                    .append("\" fill=\"none\" stroke=\"")
                    .append(c)
                    .append("\" stroke-width=\"2\"/>\n");
            s.append(
                    text(left + width + 8, 15 + 14 * (colour - 1), arm.getKey(), "start")
                            .replace("<text ", "<text fill=\"" + c + "\" "));
        }
        return s.append("</svg>\n").toString();
    }

    private static double x(double v, double lo, double span, int left, int width) {
        return left + (v - lo) / span * width;
    }

    private static double y(double v, double lo, double span, int height) {
        return 10 + (1 - (v - lo) / span) * (height - 20);
    }

    private static String line(
            double x1, double y1, double x2, double y2, String colour, int width) {
        return "<line x1=\""
                + num(x1)
                + "\" y1=\""
                + num(y1)
                + "\" x2=\""
                + num(x2)
                + "\" y2=\""
                + num(y2)
                + "\" stroke=\""
                + colour
                + "\" stroke-width=\""
                + width
                + "\"/>\n";
    }

    private static String text(double x, double y, String content, String anchor) {
        return "<text x=\""
                + num(x)
                + "\" y=\""
                + num(y)
                + "\" text-anchor=\""
                + anchor
                + "\">"
                + esc(content)
                + "</text>\n";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ci(List<Double> ci) {
        return "[" + fmt(ci.get(0)) + ", " + fmt(ci.get(1)) + "]";
    }

    static String fmt(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "";
        }
        return String.format(
                Locale.ROOT, Math.abs(v) >= 1e5 || v == Math.rint(v) ? "%.0f" : "%.4g", v);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
