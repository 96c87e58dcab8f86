package io.splitrank.models.data;

/**
 * A columnar block of logged impressions with their labels: what models are trained and evaluated
 * on. Arrays are row-major and owned by this record (callers must not mutate them).
 *
 * <p>Labels follow the entire-space convention: every impression has a click label; the conversion
 * label is 1 only for an impression that was clicked and then converted (so conversion implies
 * click); the conversion refers to the impression's ad's conversion type; the amount is the
 * purchase value (0 when there was no conversion or the type carries no value).
 *
 * @param spec the feature layout
 * @param size the number of impressions
 * @param categorical {@code size × spec.categoricalCount()} ids, 0 = unknown
 * @param dense {@code size × spec.denseCount()} floats
 * @param scenario the scenario id per impression (also present as a categorical field)
 * @param conversionType the conversion type id of the impression's ad
 * @param userId the user id per impression (for GAUC)
 * @param click 1 if clicked
 * @param conversion 1 if clicked and converted
 * @param relatedAction 1 if clicked and the related post-click action (e.g. a long view) happened
 * @param amount the conversion's value (revenue or purchase amount), 0 if none
 */
public record ImpressionLog(
        FeatureSpec spec,
        int size,
        int[] categorical,
        float[] dense,
        int[] scenario,
        int[] conversionType,
        int[] userId,
        float[] click,
        float[] conversion,
        float[] relatedAction,
        float[] amount) {

    public ImpressionLog {
        check(categorical.length == size * spec.categoricalCount(), "categorical");
        check(dense.length == size * spec.denseCount(), "dense");
        check(scenario.length == size, "scenario");
        check(conversionType.length == size, "conversionType");
        check(userId.length == size, "userId");
        check(click.length == size, "click");
        check(conversion.length == size, "conversion");
        check(relatedAction.length == size, "relatedAction");
        check(amount.length == size, "amount");
    }

    private static void check(boolean ok, String field) {
        if (!ok) {
            throw new IllegalArgumentException(field + " has the wrong length");
        }
    }
}
