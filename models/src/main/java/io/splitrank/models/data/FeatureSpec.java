package io.splitrank.models.data;

import java.util.List;

/**
 * The features every model takes, in a fixed order: categorical fields (each an id in {@code [0,
 * cardinality)}, where id 0 is the "unknown or missing" bucket), dense fields (floats), the
 * scenarios and the conversion types. Written beside every dataset and every model artifact, so
 * that a model can be served on exactly the features it was trained on.
 *
 * @param categorical the categorical fields, in column order
 * @param dense the dense field names, in column order
 * @param scenarios scenario names; a scenario's index is its id
 * @param conversionTypes conversion type names; a type's index is its id (one CVR task each)
 */
public record FeatureSpec(
        List<CategoricalField> categorical,
        List<String> dense,
        List<String> scenarios,
        List<String> conversionTypes) {

    /**
     * A categorical field.
     *
     * @param name the field name, e.g. {@code user_id}, {@code ad_category}
     * @param cardinality the number of ids including the unknown bucket 0
     */
    public record CategoricalField(String name, int cardinality) {
        public CategoricalField {
            if (cardinality < 2) {
                throw new IllegalArgumentException(
                        "cardinality of " + name + " must be at least 2");
            }
        }
    }

    public FeatureSpec {
        categorical = List.copyOf(categorical);
        dense = List.copyOf(dense);
        scenarios = List.copyOf(scenarios);
        conversionTypes = List.copyOf(conversionTypes);
    }

    /** The number of categorical columns. */
    public int categoricalCount() {
        return categorical.size();
    }

    /** The number of dense columns. */
    public int denseCount() {
        return dense.size();
    }

    /** The index of a categorical field by name, or -1. */
    public int categoricalIndex(String name) {
        for (int i = 0; i < categorical.size(); i++) {
            if (categorical.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
