package io.splitrank.experiments;

import java.util.List;
import java.util.Map;

/**
 * GrowthBook's targeting condition language (a MongoDB-like query), evaluated with the semantics of its
 * JavaScript SDK, including JavaScript's loose comparisons. Conditions and attributes are plain Java trees:
 * {@code Map<String, Object>}, {@code List<Object>}, {@code String}, {@code Number}, {@code Boolean}, null.
 *
 * <p>Supported: attribute paths with dots ({@code "father.age"}), equality with strings, numbers, booleans,
 * null, arrays and objects; {@code $eq $ne $lt $lte $gt $gte $regex $regexi $in $nin $ini $nini $all $alli
 * $elemMatch $size $exists $type $not $inGroup $notInGroup}, version comparisons {@code $veq $vne $vgt $vgte
 * $vlt $vlte}, and the logical {@code $and $or $nor $not}. An unknown operator or an invalid regex fails the
 * condition; an empty condition matches everyone.
 */
public final class ConditionEvaluator {

    private ConditionEvaluator() {
    }

    /** True when {@code attributes} satisfy {@code condition}. */
    public static boolean evalCondition(Map<String, ?> condition, Map<String, ?> attributes) {
        return evalCondition(condition, attributes, Map.of());
    }

    /** As {@link #evalCondition(Map, Map)}, with saved groups (group id to member values) for {@code $inGroup}. */
    public static boolean evalCondition(Map<String, ?> condition, Map<String, ?> attributes,
            Map<String, ? extends List<?>> savedGroups) {
        throw new UnsupportedOperationException("not yet");
    }
}
