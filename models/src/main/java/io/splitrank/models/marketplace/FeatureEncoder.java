package io.splitrank.models.marketplace;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.FeatureSpec.CategoricalField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes a serving request's raw features, given by name, into the ids and floats a model takes,
 * so the app can rank candidates without knowing the marketplace's internals. Unknown or missing
 * values map to id 0 (and dense 0). Raw values, as {@link Marketplace#userFeatures} and {@link
 * Marketplace#adFeatures} produce them:
 *
 * <ul>
 *   <li>{@code user_id} "u17" (or the index 17), {@code ad_id} "a5", {@code ad_category} "cat3",
 *       {@code ad_advertiser} "adv40": id = index + 1;
 *   <li>{@code user_age} one of 18-24, 25-34, 35-44, 45-54, 55-64, 65+; {@code user_gender} female
 *       or male; {@code user_city} the tier 1..4; {@code conversion_type} the type name;
 *   <li>{@code user_activity} sessions per day (&gt; 0) and {@code ad_bid} the bid (&gt; 0), both
 *       encoded as natural logarithms.
 * </ul>
 */
public final class FeatureEncoder {

    /** The categorical fields in column order. */
    public static final List<String> CATEGORICAL_FIELDS =
            List.of(
                    "user_id",
                    "user_age",
                    "user_gender",
                    "user_city",
                    "ad_id",
                    "ad_category",
                    "ad_advertiser",
                    "scenario",
                    "conversion_type");

    /** The dense fields in column order. */
    public static final List<String> DENSE_FIELDS = List.of("user_activity", "ad_bid");

    private final FeatureSpec spec;

    /** An encoder for the given feature layout (as written beside a dataset or model). */
    public FeatureEncoder(FeatureSpec spec) {
        if (!fieldNames(spec).equals(CATEGORICAL_FIELDS) || !spec.dense().equals(DENSE_FIELDS)) {
            throw new IllegalArgumentException("not a marketplace feature spec: " + spec);
        }
        this.spec = spec;
    }

    /** The feature layout of a marketplace built from {@code config}. */
    public static FeatureSpec specOf(MarketplaceConfig config) {
        int[] sizes = {
            config.numUsers(),
            UserPopulation.AGE_BUCKETS.size(),
            UserPopulation.GENDERS.size(),
            UserPopulation.CITY_TIERS,
            config.numAds(),
            config.numCategories(),
            config.numAdvertisers(),
            config.scenarios().size(),
            config.conversionTypes().size()
        };
        List<CategoricalField> fields = new ArrayList<>();
        for (int f = 0; f < sizes.length; f++) {
            fields.add(new CategoricalField(CATEGORICAL_FIELDS.get(f), sizes[f] + 1));
        }
        return new FeatureSpec(
                fields,
                DENSE_FIELDS,
                config.scenarios().stream().map(ScenarioSpec::name).toList(),
                config.conversionTypes().stream().map(ConversionTypeSpec::name).toList());
    }

    /** The layout this encoder writes. */
    public FeatureSpec spec() {
        return spec;
    }

    /** Encodes one (user, ad, scenario) request; missing maps are treated as empty. */
    public EncodedFeatures encode(Map<String, ?> user, Map<String, ?> ad, String scenario) {
        Map<String, ?> u = user == null ? Map.of() : user;
        Map<String, ?> a = ad == null ? Map.of() : ad;
        int scenarioIndex = scenario == null ? -1 : spec.scenarios().indexOf(scenario);
        Object typeName = a.get("conversion_type");
        int typeIndex = typeName == null ? -1 : spec.conversionTypes().indexOf(typeName.toString());
        int[] ids = {
            indexed(u.get("user_id"), "u", 0),
            labelled(u.get("user_age"), UserPopulation.AGE_BUCKETS, 1),
            labelled(u.get("user_gender"), UserPopulation.GENDERS, 2),
            tier(u.get("user_city"), 3),
            indexed(a.get("ad_id"), "a", 4),
            indexed(a.get("ad_category"), "cat", 5),
            indexed(a.get("ad_advertiser"), "adv", 6),
            scenarioIndex + 1,
            typeIndex + 1
        };
        float[] dense = {logOrZero(u.get("user_activity")), logOrZero(a.get("ad_bid"))};
        return new EncodedFeatures(ids, dense, scenarioIndex, typeIndex);
    }

    /**
     * The dense encoding of a positive raw value: its natural log, 0 if missing or not positive.
     */
    static float logOrZero(Object raw) {
        if (raw instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue())) {
            return (float) Math.log(n.doubleValue());
        }
        if (raw instanceof String s) {
            try {
                return logOrZero(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                return 0f;
            }
        }
        return 0f;
    }

    private int indexed(Object raw, String prefix, int field) {
        long index = -1;
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            index = ((Number) raw).longValue();
        } else if (raw instanceof String s && s.startsWith(prefix)) {
            try {
                index = Long.parseLong(s.substring(prefix.length()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return inRange(index + 1, field);
    }

    private int labelled(Object raw, List<String> labels, int field) {
        return raw == null ? 0 : inRange(labels.indexOf(raw.toString()) + 1, field);
    }

    private int tier(Object raw, int field) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return inRange(((Number) raw).longValue(), field);
        }
        if (raw instanceof String s) {
            try {
                return inRange(Long.parseLong(s.trim()), field);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private int inRange(long id, int field) {
        return id >= 1 && id < spec.categorical().get(field).cardinality() ? (int) id : 0;
    }

    private static List<String> fieldNames(FeatureSpec spec) {
        return spec.categorical().stream().map(CategoricalField::name).toList();
    }
}
