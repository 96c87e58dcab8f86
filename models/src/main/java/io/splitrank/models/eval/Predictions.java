package io.splitrank.models.eval;

/**
 * A model's predictions for every impression of an evaluation log, aligned with its rows.
 *
 * @param pClick pCTR per impression
 * @param pConversion post-click pCVR for the impression's own ad conversion type
 * @param pRelatedAction post-click probability of the related action, or {@code null} if the model
 *     has no such head
 * @param amount the predicted amount given a conversion, E[amount | conversion], or {@code null}
 */
public record Predictions(
        float[] pClick, float[] pConversion, float[] pRelatedAction, float[] amount) {

    public Predictions {
        if (pClick.length != pConversion.length
                || (pRelatedAction != null && pRelatedAction.length != pClick.length)
                || (amount != null && amount.length != pClick.length)) {
            throw new IllegalArgumentException("prediction columns differ in length");
        }
    }
}
