package io.splitrank.app.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The metric catalogue of DESIGN.md as SQL expressions over per-unit rows: {@code u} is a unit's
 * totals row, {@code t} its row for one conversion type. Each metric names its per-unit value Y (the
 * numerator M for a ratio), its denominator D and its pre-exposure covariate X; the sums the stats
 * module needs are products of these, so one generic query serves every metric.
 */
final class MetricCatalogue {

    /** A metric: expressions for Y (or M), D (ratios only) and X; {@code typed} when it reads {@code t}. */
    record Definition(String id, MetricKind kind, double scale, boolean capped, boolean typed,
            String y, String d, String x) {
    }

    private static final Pattern TYPED = Pattern.compile("(^|[^a-z_])t\\.");

    private MetricCatalogue() {
    }

    /** Every per-unit-total metric, in report order; {@code value} is the (possibly capped) value expression. */
    static List<Definition> totals(String value, String preValue) {
        boolean capped = !value.equals("u.value");
        List<Definition> list = new ArrayList<>();
        list.add(new Definition("impressions_per_unit", MetricKind.MEAN, 1, false, false,
                "u.impressions", null, "u.pre_impressions"));
        list.add(new Definition("ctr", MetricKind.RATIO, 1, false, false, "u.clicks", "u.impressions", "u.pre_clicks"));
        list.add(new Definition("cvr", MetricKind.RATIO, 1, false, false, "u.conversions", "u.clicks",
                "u.pre_conversions"));
        list.add(new Definition("ctcvr", MetricKind.RATIO, 1, false, false, "u.conversions", "u.impressions",
                "u.pre_conversions"));
        list.add(new Definition("ecpm", MetricKind.RATIO, 1000, capped, false, value, "u.impressions", preValue));
        list.add(new Definition("value_per_unit", MetricKind.MEAN, 1, capped, false, value, null, preValue));
        list.add(new Definition("conversion_rate", MetricKind.PROPORTION, 1, false, false,
                "(u.conversions > 0)::int", null, "(u.pre_conversions > 0)::int"));
        return list;
    }

    /** The metrics of one conversion type; their ids end in {@code :type}. */
    static List<Definition> perType(String type) {
        return List.of(
                new Definition("cvr:" + type, MetricKind.RATIO, 1, false, true, "t.conversions", "u.clicks",
                        "t.pre_conversions"),
                new Definition("ctcvr:" + type, MetricKind.RATIO, 1, false, true, "t.conversions", "u.impressions",
                        "t.pre_conversions"),
                new Definition("conversion_rate:" + type, MetricKind.PROPORTION, 1, false, true,
                        "(t.conversions > 0)::int", null, "(t.pre_conversions > 0)::int"));
    }

    /** The per-type metrics with a placeholder type, to list the sums they need. */
    static List<Definition> perTypeTemplate() {
        return perType("*");
    }

    /** The products whose sums a metric needs, each as {a, b} (b null for a plain sum). */
    static List<String[]> terms(Definition m, boolean cuped) {
        List<String[]> terms = new ArrayList<>();
        terms.add(new String[] {m.y(), null});
        if (m.kind() != MetricKind.PROPORTION) {
            terms.add(new String[] {m.y(), m.y()});
        }
        if (m.kind() == MetricKind.RATIO) {
            terms.add(new String[] {m.d(), null});
            terms.add(new String[] {m.d(), m.d()});
            terms.add(new String[] {m.y(), m.d()});
        }
        if (cuped) {
            terms.add(new String[] {m.x(), null});
            terms.add(new String[] {m.x(), m.x()});
            terms.add(new String[] {m.x(), m.y()});
            if (m.kind() == MetricKind.RATIO) {
                terms.add(new String[] {m.x(), m.d()});
            }
        }
        return terms;
    }

    /** The SQL of a term's sum, in double precision (squares of counts overflow no bigint this way). */
    static String sql(String[] term) {
        return term[1] == null ? "sum((" + term[0] + ")::float8)"
                : "sum((" + term[0] + ")::float8 * (" + term[1] + ")::float8)";
    }

    /** Whether the term reads a conversion type's row (and must come from the per-type join). */
    static boolean readsType(String[] term) {
        return TYPED.matcher(term[0]).find() || (term[1] != null && TYPED.matcher(term[1]).find());
    }
}
