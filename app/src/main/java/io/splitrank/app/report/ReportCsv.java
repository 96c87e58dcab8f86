package io.splitrank.app.report;

import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.stats.Comparison;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as CSV (RFC 4180): one row per metric and arm, the comparison's numbers flattened into
 * columns, empty where there is nothing (the control, a comparison that cannot be computed).
 */
final class ReportCsv {

    static final String HEADER =
            "experiment,phase,scenario,metric,arm,units,numerator,denominator,value,lift,"
                    + "standard_error,ci_lower,ci_upper,p_value,sequential_ci_lower,sequential_ci_upper,sequential_p_value,"
                    + "chance_to_win,adjusted_p_value,error";

    private ReportCsv() {}

    static String render(ExperimentReport report) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (MetricReport metric : report.metrics()) {
            for (ArmMetric arm : metric.arms()) {
                List<Object> row =
                        new ArrayList<>(
                                List.of(
                                        report.experiment(),
                                        report.phase(),
                                        report.scenario() == null ? "" : report.scenario(),
                                        metric.metric(),
                                        arm.key(),
                                        arm.units(),
                                        number(arm.numerator()),
                                        number(arm.denominator()),
                                        number(arm.value())));
                Comparison c = arm.comparison();
                boolean computed = c != null && c.computed();
                row.add(computed ? number(c.estimate()) : "");
                row.add(computed ? number(c.standardError()) : "");
                row.add(computed ? number(c.fixedHorizon().ci().get(0)) : "");
                row.add(computed ? number(c.fixedHorizon().ci().get(1)) : "");
                row.add(computed ? number(c.fixedHorizon().pValue()) : "");
                row.add(computed ? number(c.sequential().ci().get(0)) : "");
                row.add(computed ? number(c.sequential().ci().get(1)) : "");
                row.add(computed ? number(c.sequential().pValue()) : "");
                row.add(computed && c.bayesian() != null ? number(c.bayesian().chanceToWin()) : "");
                row.add(computed ? number(c.adjustedPValue()) : "");
                row.add(c != null && c.error() != null ? c.error() : "");
                for (int i = 0; i < row.size(); i++) {
                    out.append(i == 0 ? "" : ",").append(field(String.valueOf(row.get(i))));
                }
                out.append("\r\n");
            }
        }
        return out.toString();
    }

    private static String number(Double x) {
        return x == null || x.isNaN() || x.isInfinite() ? "" : Double.toString(x);
    }

    private static String field(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
