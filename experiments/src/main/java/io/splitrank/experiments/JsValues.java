package io.splitrank.experiments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * JavaScript's value semantics over plain Java trees, as far as GrowthBook's condition language
 * relies on them: {@code String(v)}, {@code Number(v)}, truthiness, {@code ===}, {@code <}, {@code
 * typeof} and {@code JSON.stringify}. A Java null stands for both JavaScript null and undefined.
 */
final class JsValues {

    private static final Pattern DECIMAL_LITERAL =
            Pattern.compile("[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)");
    private static final Pattern RADIX_LITERAL =
            Pattern.compile("0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)");

    private JsValues() {}

    /** JavaScript's {@code String(v)} ({@code v + ""}). */
    static String toJsString(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number n) {
            return numberToString(n);
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object element = list.get(i);
                if (element != null) {
                    sb.append(toJsString(element));
                }
            }
            return sb.toString();
        }
        if (v instanceof Map<?, ?>) {
            return "[object Object]";
        }
        return v.toString();
    }

    /** JavaScript's {@code String(number)} for any Java number. */
    static String numberToString(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
            long l = n.longValue();
            if (Math.abs(l) < (1L << 53)) {
                return Long.toString(l);
            }
        }
        return doubleToString(n.doubleValue());
    }

    /**
     * JavaScript's Number::toString(10): shortest round-trip digits, plain notation for 1e-7 < |d|
     * < 1e21.
     */
    static String doubleToString(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return "0";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        BigDecimal decimal = shortestDecimal(Math.abs(d));
        String digits = decimal.unscaledValue().toString();
        int k = digits.length();
        int exponent = k - decimal.scale(); // value = 0.digits * 10^exponent
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (k <= exponent && exponent <= 21) {
            sb.append(digits).append("0".repeat(exponent - k));
        } else if (0 < exponent && exponent <= 21) {
            sb.append(digits, 0, exponent).append('.').append(digits, exponent, k);
        } else if (-6 < exponent && exponent <= 0) {
            sb.append("0.").append("0".repeat(-exponent)).append(digits);
        } else {
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            int e = exponent - 1;
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code d}, the closest such
     * one (what JavaScript prints). Java 17's {@code Double.toString} is not always the shortest
     * ({@code 4.9E-324}).
     */
    private static BigDecimal shortestDecimal(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** JavaScript's {@code Number(v)} ({@code v * 1}); NaN where JavaScript gives NaN. */
    static double toNumber(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            return stringToNumber(s);
        }
        if (v instanceof List<?>) {
            return stringToNumber(toJsString(v));
        }
        return Double.NaN;
    }

    private static double stringToNumber(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return 0;
        }
        if (DECIMAL_LITERAL.matcher(t).matches()) {
            return t.endsWith("Infinity")
                    ? (t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
                    : Double.parseDouble(t);
        }
        if (RADIX_LITERAL.matcher(t).matches()) {
            char kind = Character.toLowerCase(t.charAt(1));
            int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
            return new BigInteger(t.substring(2), radix).doubleValue();
        }
        return Double.NaN;
    }

    /** JavaScript truthiness: false, 0, NaN, "" and null are falsy. */
    static boolean truthy(Object v) {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return true;
    }

    /**
     * JavaScript's {@code a === b}: same type and value for primitives, identity for arrays and
     * objects.
     */
    static boolean strictEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof String || a instanceof Boolean) {
            return a.equals(b);
        }
        return a == b;
    }

    /**
     * JavaScript's SameValueZero, used by {@code Array.prototype.includes}: {@code ===} except NaN
     * equals NaN.
     */
    static boolean sameValueZero(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && Double.isNaN(x.doubleValue())) {
            return Double.isNaN(y.doubleValue());
        }
        return strictEquals(a, b);
    }

    /**
     * JavaScript's abstract relational comparison: the sign of {@code a - b}, or null when the
     * comparison is undefined (a NaN is involved), in which case {@code <, <=, >, >=} are all
     * false. Two strings (after converting arrays and objects to strings) compare by UTF-16 code
     * units; anything else compares as numbers.
     */
    static Integer compare(Object a, Object b) {
        Object pa = toPrimitive(a);
        Object pb = toPrimitive(b);
        if (pa instanceof String sa && pb instanceof String sb) {
            return Integer.signum(sa.compareTo(sb));
        }
        double x = toNumber(pa);
        double y = toNumber(pb);
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return null;
        }
        return Double.compare(x == 0 ? 0 : x, y == 0 ? 0 : y);
    }

    private static Object toPrimitive(Object v) {
        return v instanceof List<?> || v instanceof Map<?, ?> ? toJsString(v) : v;
    }

    /** JavaScript's {@code typeof}-based type name as GrowthBook's {@code $type} uses it. */
    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List<?>) {
            return "array";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Map<?, ?>) {
            return "object";
        }
        return "unknown";
    }

    /** JavaScript's {@code JSON.stringify(v)}, keys in map order. */
    static String stringify(Object v) {
        StringBuilder sb = new StringBuilder();
        stringify(v, sb);
        return sb.toString();
    }

    private static void stringify(Object v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            sb.append(Double.isNaN(d) || Double.isInfinite(d) ? "null" : numberToString(n));
        } else if (v instanceof Boolean b) {
            sb.append(b);
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                stringify(list.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(String.valueOf(e.getKey()), sb);
                sb.append(':');
                stringify(e.getValue(), sb);
            }
            sb.append('}');
        } else {
            quote(v.toString(), sb);
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
