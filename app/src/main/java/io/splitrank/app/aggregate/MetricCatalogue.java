package io.splitrank.app.aggregate;

import io.splitrank.stats.MetricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The metric catalogue (docs/architecture.md, Metrics): each metric defined once, as SQL
 * expressions over per-unit rows: {@code u} is a unit's totals row, {@code t} its row for one
 * conversion type. Each metric names its stats-module type, its per-unit value Y (the numerator M
 * for a ratio), its denominator D and its pre-exposure covariate X; the sums the stats module needs
 * are products of these ({@link Term}), so one generic query serves every metric, and the
 * aggregator's maintained per-arm sums and the report's reads are the same terms.
 */
final class MetricCatalogue {

    /**
     * A metric: its type, expressions for Y (or M), D (ratios only) and X; {@code typed} when it
     * reads {@code t}.
     */
    record Definition(
            String id,
            MetricType type,
            double scale,
            boolean capped,
            boolean typed,
            String y,
            String d,
            String x) {}

    /**
     * One sum an arm's statistics need: Σ a, or Σ a·b.
     *
     * @param a a per-unit SQL expression
     * @param b another one, or null for a plain sum
     */
    record Term(String a, String b) {

        /**
         * The SQL of the sum, in double precision (squares of counts overflow no bigint this way).
         */
        String sql() {
            return b == null
                    ? "sum((" + a + ")::float8)"
                    : "sum((" + a + ")::float8 * (" + b + ")::float8)";
        }

        /**
         * Whether the term reads a conversion type's row (and must come from the per-type join).
         */
        boolean readsType() {
            return TYPED.matcher(a).find() || (b != null && TYPED.matcher(b).find());
        }
    }

    private static final Pattern TYPED = Pattern.compile("(^|[^a-z_])t\\.");
    private static final String TYPE_SEPARATOR = ":";

    private MetricCatalogue() {}

    /**
     * Every per-unit-total metric, in report order; {@code value} is the (possibly capped) value
     * expression.
     */
    static List<Definition> totals(String value, String preValue) {
        boolean capped = !value.equals("u.value");
        List<Definition> list = new ArrayList<>();
        list.add(
                new Definition(
                        "impressions_per_unit",
                        MetricType.MEAN,
                        1,
                        false,
                        false,
                        "u.impressions",
                        null,
                        "u.pre_impressions"));
        list.add(
                new Definition(
                        "ctr",
                        MetricType.RATIO,
                        1,
                        false,
                        false,
                        "u.clicks",
                        "u.impressions",
                        "u.pre_clicks"));
        list.add(
                new Definition(
                        "cvr",
                        MetricType.RATIO,
                        1,
                        false,
                        false,
                        "u.conversions",
                        "u.clicks",
                        "u.pre_conversions"));
        list.add(
                new Definition(
                        "ctcvr",
                        MetricType.RATIO,
                        1,
                        false,
                        false,
                        "u.conversions",
                        "u.impressions",
                        "u.pre_conversions"));
        list.add(
                new Definition(
                        "ecpm",
                        MetricType.RATIO,
                        1000,
                        capped,
                        false,
                        value,
                        "u.impressions",
                        preValue));
        list.add(
                new Definition(
                        "value_per_unit",
                        MetricType.MEAN,
                        1,
                        capped,
                        false,
                        value,
                        null,
                        preValue));
        list.add(
                new Definition(
                        "conversion_rate",
                        MetricType.PROPORTION,
                        1,
                        false,
                        false,
                        "(u.conversions > 0)::int",
                        null,
                        "(u.pre_conversions > 0)::int"));
        return list;
    }

    /** The metrics of one conversion type; their ids end in {@code :type}. */
    static List<Definition> perType(String type) {
        return List.of(
                new Definition(
                        "cvr:" + type,
                        MetricType.RATIO,
                        1,
                        false,
                        true,
                        "t.conversions",
                        "u.clicks",
                        "t.pre_conversions"),
                new Definition(
                        "ctcvr:" + type,
                        MetricType.RATIO,
                        1,
                        false,
                        true,
                        "t.conversions",
                        "u.impressions",
                        "t.pre_conversions"),
                new Definition(
                        "conversion_rate:" + type,
                        MetricType.PROPORTION,
                        1,
                        false,
                        true,
                        "(t.conversions > 0)::int",
                        null,
                        "(t.pre_conversions > 0)::int"));
    }

    /** The per-type metrics with a placeholder type, to list the sums they need. */
    static List<Definition> perTypeTemplate() {
        return perType("*");
    }

    /**
     * The definition of a metric id, per-type ids included (as the uncapped query defines it);
     * empty if unknown.
     */
    static Optional<Definition> definition(String id) {
        int colon = id.indexOf(TYPE_SEPARATOR);
        List<Definition> candidates =
                colon < 0 ? totals("u.value", "u.pre_value") : perType(id.substring(colon + 1));
        return candidates.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /** The sums a metric's statistics need. */
    static List<Term> terms(Definition m, boolean cuped) {
        List<Term> terms = new ArrayList<>();
        terms.add(new Term(m.y(), null));
        if (m.type() != MetricType.PROPORTION) {
            terms.add(new Term(m.y(), m.y()));
        }
        if (m.type() == MetricType.RATIO) {
            terms.add(new Term(m.d(), null));
            terms.add(new Term(m.d(), m.d()));
            terms.add(new Term(m.y(), m.d()));
        }
        if (cuped && m.type() != MetricType.PROPORTION) {
            // the stats module adjusts means and ratios; a proportion carries no covariate
            terms.add(new Term(m.x(), null));
            terms.add(new Term(m.x(), m.x()));
            terms.add(new Term(m.x(), m.y()));
            if (m.type() == MetricType.RATIO) {
                terms.add(new Term(m.x(), m.d()));
            }
        }
        return terms;
    }
}
