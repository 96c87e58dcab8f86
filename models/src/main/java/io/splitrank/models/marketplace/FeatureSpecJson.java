package io.splitrank.models.marketplace;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.FeatureSpec.CategoricalField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link FeatureSpec}, as written in a dataset's {@code marketplace.json} (and
 * usable in a model artifact's metadata):
 * {@code {"categorical": [{"name": …, "cardinality": …}, …], "dense": […], "scenarios": […],
 * "conversionTypes": […]}}.
 */
public final class FeatureSpecJson {

    private FeatureSpecJson() {}

    /** The spec as a JSON-able map. */
    public static Map<String, Object> toMap(FeatureSpec spec) {
        List<Object> fields = new ArrayList<>();
        for (CategoricalField f : spec.categorical()) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("name", f.name());
            field.put("cardinality", f.cardinality());
            fields.add(field);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("categorical", fields);
        m.put("dense", spec.dense());
        m.put("scenarios", spec.scenarios());
        m.put("conversionTypes", spec.conversionTypes());
        return m;
    }

    /** The spec as JSON text. */
    public static String toJson(FeatureSpec spec) {
        return JsonText.write(toMap(spec));
    }

    /** Reads a spec from JSON text written by {@link #toJson}. */
    public static FeatureSpec fromJson(String json) {
        return fromMap(MarketplaceConfig.asMap(JsonText.parse(json)));
    }

    /** Reads a spec from a map shaped like {@link #toMap}. */
    public static FeatureSpec fromMap(Map<String, Object> m) {
        List<CategoricalField> fields = new ArrayList<>();
        for (Object o : (List<?>) m.get("categorical")) {
            Map<String, Object> f = MarketplaceConfig.asMap(o);
            fields.add(new CategoricalField((String) f.get("name"), ((Number) f.get("cardinality")).intValue()));
        }
        return new FeatureSpec(fields, strings(m.get("dense")), strings(m.get("scenarios")),
                strings(m.get("conversionTypes")));
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(String.class::cast).toList();
    }
}
