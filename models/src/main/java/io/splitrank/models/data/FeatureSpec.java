package io.splitrank.models.data;

import java.util.List;
import java.util.Objects;

/**
 * The features every ranking model takes, as the marketplace encodes them: categorical fields (ids
 * already mapped to {@code [0, cardinality)}), dense fields (already standardised), the scenario and
 * the ad's conversion type. A model's artifact stores the spec it was trained on, so serving can
 * refuse rows encoded differently.
 *
 * <p>Provisional contract written on branch {@code models-nets}: the commit that announced it did not
 * carry the files. It is deliberately small so the marketplace can fill it without change.
 *
 * @param categorical categorical fields in the column order of {@link ImpressionLog#categorical()}
 * @param dense dense field names in the column order of {@link ImpressionLog#dense()}
 * @param scenarios scenario names; a row's scenario is an index into this list
 * @param conversionTypes conversion type names (e.g. install, register, purchase); an ad has one
 * @param valueConversionType the conversion type that carries an amount (e.g. purchase)
 */
public record FeatureSpec(
        List<CategoricalField> categorical,
        List<String> dense,
        List<String> scenarios,
        List<String> conversionTypes,
        String valueConversionType) {

    /** Who a categorical field describes; AEM2TL's personalised gate reads the user and item fields. */
    public enum Role {
        USER,
        ITEM,
        CONTEXT
    }

    /**
     * One categorical field.
     *
     * @param name field name, e.g. {@code user_id}
     * @param cardinality number of distinct ids; ids are {@code 0..cardinality-1}
     * @param role whom the field describes
     */
    public record CategoricalField(String name, int cardinality, Role role) {
        public CategoricalField {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            if (cardinality < 1) {
                throw new IllegalArgumentException("cardinality must be positive: " + name);
            }
        }
    }

    public FeatureSpec {
        categorical = List.copyOf(categorical);
        dense = List.copyOf(dense);
        scenarios = List.copyOf(scenarios);
        conversionTypes = List.copyOf(conversionTypes);
        if (categorical.isEmpty() || scenarios.isEmpty() || conversionTypes.isEmpty()) {
            throw new IllegalArgumentException("a spec needs categorical fields, scenarios and conversion types");
        }
        if (valueConversionType != null && !conversionTypes.contains(valueConversionType)) {
            throw new IllegalArgumentException("unknown value conversion type " + valueConversionType);
        }
    }

    public int categoricalCount() {
        return categorical.size();
    }

    public int denseCount() {
        return dense.size();
    }

    public int scenarioCount() {
        return scenarios.size();
    }

    public int conversionTypeCount() {
        return conversionTypes.size();
    }

    /** Column indices of the categorical fields with the given role, in column order. */
    public int[] fieldsWithRole(Role role) {
        return java.util.stream.IntStream.range(0, categorical.size())
                .filter(i -> categorical.get(i).role() == role)
                .toArray();
    }
}
