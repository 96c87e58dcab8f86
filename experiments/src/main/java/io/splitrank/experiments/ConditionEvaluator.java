package io.splitrank.experiments;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * GrowthBook's targeting condition language (a MongoDB-like query), evaluated with the semantics of
 * its JavaScript SDK, including JavaScript's loose comparisons ({@code "8" > 5}, a missing
 * attribute compares as 0 for {@code $gt}/{@code $lt}). Conditions and attributes are plain Java
 * trees: {@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code
 * Boolean}, null; a missing attribute is null.
 *
 * <p>Supported: attribute paths with dots ({@code "father.age"}), equality with strings, numbers,
 * booleans, null, arrays and objects; {@code $eq $ne $lt $lte $gt $gte $regex $regexi $in $nin $ini
 * $nini $all $alli $elemMatch $size $exists $type $not $inGroup $notInGroup}, version comparisons
 * {@code $veq $vne $vgt $vgte $vlt $vlte}, and the logical {@code $and $or $nor $not}. An unknown
 * operator or an invalid regex fails the condition; an empty condition matches everyone. Regexes
 * use {@link java.util.regex.Pattern}, which agrees with JavaScript on the common syntax.
 */
public final class ConditionEvaluator {

    private static final int REGEX_CACHE_LIMIT = 1024;
    private static final Map<String, Optional<Pattern>> REGEX_CACHE = new ConcurrentHashMap<>();
    private static final Object NO_PROPERTY = new Object();

    private ConditionEvaluator() {}

    /** True when {@code attributes} satisfy {@code condition}. */
    public static boolean evalCondition(Map<String, ?> condition, Map<String, ?> attributes) {
        return evalCondition(condition, attributes, Map.of());
    }

    /**
     * As {@link #evalCondition(Map, Map)}, with saved groups (group id to member values) for {@code
     * $inGroup}.
     */
    public static boolean evalCondition(
            Map<String, ?> condition,
            Map<String, ?> attributes,
            Map<String, ? extends List<?>> savedGroups) {
        if (condition == null || condition.isEmpty()) {
            return true;
        }
        return evalObject(attributes, condition, savedGroups == null ? Map.of() : savedGroups);
    }

    private static boolean evalObject(
            Object obj, Map<?, ?> condition, Map<String, ? extends List<?>> groups) {
        for (Map.Entry<?, ?> entry : condition.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            boolean passed =
                    switch (key) {
                        case "$or" -> evalOr(obj, value, groups);
                        case "$nor" -> !evalOr(obj, value, groups);
                        case "$and" -> evalAnd(obj, value, groups);
                        case "$not" -> !evalObject(obj, asCondition(value), groups);
                        default -> evalValue(value, getPath(obj, key), groups, false);
                    };
            if (!passed) {
                return false;
            }
        }
        return true;
    }

    private static boolean evalOr(
            Object obj, Object conditions, Map<String, ? extends List<?>> groups) {
        List<?> list = conditions instanceof List<?> l ? l : List.of();
        if (list.isEmpty()) {
            return true;
        }
        for (Object c : list) {
            if (evalObject(obj, asCondition(c), groups)) {
                return true;
            }
        }
        return false;
    }

    private static boolean evalAnd(
            Object obj, Object conditions, Map<String, ? extends List<?>> groups) {
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (!evalObject(obj, asCondition(c), groups)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Map<?, ?> asCondition(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }

    /**
     * GrowthBook's {@code getPath}: follows a dot path through objects (and array indices); null
     * when absent.
     */
    static Object getPath(Object obj, String path) {
        Object current = obj;
        int from = 0;
        while (true) {
            int dot = path.indexOf('.', from);
            String part = dot < 0 ? path.substring(from) : path.substring(from, dot);
            if (current instanceof Map<?, ?> map && map.containsKey(part)) {
                current = map.get(part);
            } else if (current instanceof List<?> list
                    && arrayProperty(list, part) != NO_PROPERTY) {
                current = arrayProperty(list, part);
            } else {
                return null;
            }
            if (dot < 0) {
                return current;
            }
            from = dot + 1;
        }
    }

    private static Object arrayProperty(List<?> list, String part) {
        if (part.equals("length")) {
            return list.size();
        }
        if (!part.isEmpty()
                && part.length() < 10
                && part.chars().allMatch(Character::isDigit)
                && (part.length() == 1 || part.charAt(0) != '0')) {
            int index = Integer.parseInt(part);
            return index < list.size() ? list.get(index) : NO_PROPERTY;
        }
        return NO_PROPERTY;
    }

    private static boolean evalValue(
            Object condition,
            Object value,
            Map<String, ? extends List<?>> groups,
            boolean insensitive) {
        if (condition instanceof String s) {
            return insensitive
                    ? JsValues.toJsString(value)
                            .toLowerCase(Locale.ROOT)
                            .equals(s.toLowerCase(Locale.ROOT))
                    : JsValues.toJsString(value).equals(s);
        }
        if (condition instanceof Number n) {
            return JsValues.toNumber(value) == n.doubleValue();
        }
        if (condition instanceof Boolean b) {
            return value != null && JsValues.truthy(value) == b;
        }
        if (condition == null) {
            return value == null;
        }
        if (!(condition instanceof Map<?, ?> operators) || !isOperatorObject(operators)) {
            return JsValues.stringify(value).equals(JsValues.stringify(condition));
        }
        for (Map.Entry<?, ?> op : operators.entrySet()) {
            if (!evalOperator(String.valueOf(op.getKey()), value, op.getValue(), groups)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOperatorObject(Map<?, ?> map) {
        if (map.isEmpty()) {
            return false;
        }
        for (Object key : map.keySet()) {
            if (!String.valueOf(key).startsWith("$")) {
                return false;
            }
        }
        return true;
    }

    private static boolean evalOperator(
            String operator,
            Object actual,
            Object expected,
            Map<String, ? extends List<?>> groups) {
        return switch (operator) {
            case "$veq" -> compareVersions(actual, expected) == 0;
            case "$vne" -> compareVersions(actual, expected) != 0;
            case "$vgt" -> compareVersions(actual, expected) > 0;
            case "$vgte" -> compareVersions(actual, expected) >= 0;
            case "$vlt" -> compareVersions(actual, expected) < 0;
            case "$vlte" -> compareVersions(actual, expected) <= 0;
            case "$eq" -> JsValues.strictEquals(actual, expected);
            case "$ne" -> !JsValues.strictEquals(actual, expected);
            case "$lt" -> relation(actual, expected, -1, false);
            case "$lte" -> relation(actual, expected, -1, true);
            case "$gt" -> relation(actual, expected, 1, false);
            case "$gte" -> relation(actual, expected, 1, true);
            case "$exists" -> JsValues.truthy(expected) == (actual != null);
            case "$in" -> expected instanceof List<?> list && isIn(actual, list, false);
            case "$ini" -> expected instanceof List<?> list && isIn(actual, list, true);
            case "$nin" -> expected instanceof List<?> list && !isIn(actual, list, false);
            case "$nini" -> expected instanceof List<?> list && !isIn(actual, list, true);
            case "$inGroup" -> isIn(actual, savedGroup(groups, expected), false);
            case "$notInGroup" -> !isIn(actual, savedGroup(groups, expected), false);
            case "$not" -> !evalValue(expected, actual, groups, false);
            case "$size" ->
                    actual instanceof List<?> list
                            && evalValue(expected, list.size(), groups, false);
            case "$elemMatch" -> elemMatch(actual, expected, groups);
            case "$all" -> expected instanceof List<?> list && isInAll(actual, list, groups, false);
            case "$alli" -> expected instanceof List<?> list && isInAll(actual, list, groups, true);
            case "$regex" -> regexMatches(expected, actual, false);
            case "$regexi" -> regexMatches(expected, actual, true);
            case "$type" -> JsValues.typeName(actual).equals(expected);
            default -> false;
        };
    }

    /**
     * {@code actual < expected} (sign -1) or {@code actual > expected} (sign 1), optionally
     * or-equal, as in JS.
     */
    private static boolean relation(Object actual, Object expected, int sign, boolean orEqual) {
        Integer c = JsValues.compare(actual, expected);
        return c != null && (c == sign || (orEqual && c == 0));
    }

    private static int compareVersions(Object actual, Object expected) {
        return Integer.signum(
                VersionStrings.padded(actual).compareTo(VersionStrings.padded(expected)));
    }

    private static List<?> savedGroup(Map<String, ? extends List<?>> groups, Object groupId) {
        List<?> members = groups.get(JsValues.toJsString(groupId));
        return members == null ? List.of() : members;
    }

    private static boolean isIn(Object actual, List<?> expected, boolean insensitive) {
        if (actual instanceof List<?> values) {
            for (Object value : values) {
                if (contains(expected, value, insensitive)) {
                    return true;
                }
            }
            return false;
        }
        return contains(expected, actual, insensitive);
    }

    private static boolean contains(List<?> expected, Object value, boolean insensitive) {
        Object folded = insensitive ? caseFold(value) : value;
        for (Object candidate : expected) {
            if (JsValues.sameValueZero(folded, insensitive ? caseFold(candidate) : candidate)) {
                return true;
            }
        }
        return false;
    }

    private static Object caseFold(Object value) {
        return value instanceof String s ? s.toLowerCase(Locale.ROOT) : value;
    }

    private static boolean isInAll(
            Object actual,
            List<?> expected,
            Map<String, ? extends List<?>> groups,
            boolean insensitive) {
        if (!(actual instanceof List<?> values)) {
            return false;
        }
        for (Object wanted : expected) {
            boolean found = false;
            for (Object value : values) {
                if (evalValue(wanted, value, groups, insensitive)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean elemMatch(
            Object actual, Object expected, Map<String, ? extends List<?>> groups) {
        if (!(actual instanceof List<?> values)) {
            return false;
        }
        boolean operator = expected instanceof Map<?, ?> map && isOperatorObject(map);
        for (Object value : values) {
            if (!JsValues.truthy(value)) {
                continue;
            }
            boolean matched =
                    operator
                            ? evalValue(expected, value, groups, false)
                            : evalObject(value, asCondition(expected), groups);
            if (matched) {
                return true;
            }
        }
        return false;
    }

    private static boolean regexMatches(Object expected, Object actual, boolean insensitive) {
        if (!(expected instanceof String regex)) {
            return false;
        }
        Optional<Pattern> pattern = compile(regex, insensitive);
        return pattern.isPresent() && pattern.get().matcher(JsValues.toJsString(actual)).find();
    }

    private static Optional<Pattern> compile(String regex, boolean insensitive) {
        String cacheKey = insensitive ? regex + "/i" : regex + "/";
        Optional<Pattern> cached = REGEX_CACHE.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Optional<Pattern> compiled;
        try {
            compiled =
                    Optional.of(
                            Pattern.compile(
                                    regex,
                                    insensitive
                                            ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE
                                            : 0));
        } catch (PatternSyntaxException e) {
            compiled = Optional.empty();
        }
        if (REGEX_CACHE.size() >= REGEX_CACHE_LIMIT) {
            REGEX_CACHE.clear();
        }
        REGEX_CACHE.put(cacheKey, compiled);
        return compiled;
    }
}
