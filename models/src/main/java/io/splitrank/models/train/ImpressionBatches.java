package io.splitrank.models.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.ImpressionLog;

/**
 * Turns rows of an {@link ImpressionLog} into the arrays the networks read. Features: {@code
 * [categorical int32 [B, F], dense float32 [B, D], scenario int32 [B], conversionType int32 [B]]}.
 * Labels: {@code [click, conversion, relatedAction, logAmount, amountMask]} as float32 {@code [B]},
 * then {@code conversionType} int32 {@code [B]}.
 */
public final class ImpressionBatches {

    public static final int CLICK = 0;
    public static final int CONVERSION = 1;
    public static final int RELATED = 2;
    public static final int LOG_AMOUNT = 3;
    public static final int AMOUNT_MASK = 4;
    public static final int CONVERSION_TYPE = 5;

    private ImpressionBatches() {}

    /** Shapes for block initialisation. */
    public static Shape[] inputShapes(FeatureSpec spec) {
        return new Shape[] {
            new Shape(1, spec.categoricalCount()),
            new Shape(1, spec.denseCount()),
            new Shape(1),
            new Shape(1)
        };
    }

    /** Features of rows {@code order[from..to)}. */
    public static NDList features(
            NDManager manager, ImpressionLog log, int[] order, int from, int to) {
        FeatureSpec spec = log.spec();
        int f = spec.categoricalCount();
        int d = spec.denseCount();
        int n = to - from;
        int[] categorical = new int[n * f];
        float[] dense = new float[n * d];
        int[] scenario = new int[n];
        int[] type = new int[n];
        for (int k = 0; k < n; k++) {
            int r = order == null ? from + k : order[from + k];
            System.arraycopy(log.categorical(), r * f, categorical, k * f, f);
            System.arraycopy(log.dense(), r * d, dense, k * d, d);
            scenario[k] = log.scenario()[r];
            type[k] = log.conversionType()[r];
        }
        return features(manager, spec, categorical, dense, scenario, type);
    }

    /** Features from already-encoded columns (the serving path). */
    public static NDList features(
            NDManager manager,
            FeatureSpec spec,
            int[] categorical,
            float[] dense,
            int[] scenario,
            int[] type) {
        int n = scenario.length;
        return new NDList(
                manager.create(categorical, new Shape(n, spec.categoricalCount())),
                manager.create(dense, new Shape(n, spec.denseCount())),
                manager.create(scenario, new Shape(n)),
                manager.create(type, new Shape(n)));
    }

    /** Labels of rows {@code order[from..to)}. */
    public static NDList labels(
            NDManager manager, ImpressionLog log, int[] order, int from, int to) {
        int n = to - from;
        float[] click = new float[n];
        float[] conversion = new float[n];
        float[] related = new float[n];
        float[] logAmount = new float[n];
        float[] mask = new float[n];
        int[] type = new int[n];
        for (int k = 0; k < n; k++) {
            int r = order == null ? from + k : order[from + k];
            click[k] = log.click()[r];
            conversion[k] = log.conversion()[r];
            related[k] = log.relatedAction()[r];
            if (log.conversion()[r] > 0.5f && log.amount()[r] > 0f) {
                logAmount[k] = (float) Math.log(log.amount()[r]);
                mask[k] = 1f;
            }
            type[k] = log.conversionType()[r];
        }
        return new NDList(
                manager.create(click),
                manager.create(conversion),
                manager.create(related),
                manager.create(logAmount),
                manager.create(mask),
                manager.create(type));
    }
}
