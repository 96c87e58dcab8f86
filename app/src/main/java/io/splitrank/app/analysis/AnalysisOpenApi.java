package io.splitrank.app.analysis;

import io.swagger.v3.oas.models.media.Schema;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Documents the analysis answer's fields. The result records live in the stats module, which knows
 * nothing of OpenAPI, so their descriptions are attached here.
 */
@Component
class AnalysisOpenApi implements OpenApiCustomizer {

    private static final Map<String, Map<String, String>> DESCRIPTIONS =
            Map.of(
                    "AnalysisResult",
                            Map.of(
                                    "arms",
                                            "Per arm, in the order given; the first is the control and has no comparison",
                                    "srm",
                                            "Sample-ratio check of the arms' units against their weights"),
                    "ArmResult",
                            Map.of(
                                    "key", "Arm key",
                                    "n", "Units in the arm",
                                    "mean",
                                            "The arm's metric value: mean per unit, share of units, or ratio of sums",
                                    "variance",
                                            "Per-unit variance of the metric (delta method for ratios; adjusted with CUPED)",
                                    "comparison",
                                            "The arm against the control; absent for the control"),
                    "Comparison",
                            Map.of(
                                    "estimate",
                                            "Lift: relative (fraction of the control mean, 0.05 = +5%) or absolute (metric units)",
                                    "standardError",
                                            "Standard error of the lift, in the lift's unit",
                                    "fixedHorizon",
                                            "Welch t interval and two-sided p-value, valid when looked at once",
                                    "sequential",
                                            "Always-valid confidence sequence and p-value, valid however often you look",
                                    "bayesian",
                                            "Posterior of the lift (flat or the given normal prior)",
                                    "adjustedPValue",
                                            "Fixed-horizon p-value corrected across the treatment arms (Holm or BH)",
                                    "error",
                                            "Why the comparison could not be computed (then no numbers are given)"),
                    "FixedHorizon",
                            Map.of(
                                    "ci",
                                            "[lower, upper] confidence interval of the lift at 1 - alpha",
                                    "pValue", "Two-sided p-value of Welch's t test",
                                    "degreesOfFreedom", "Welch-Satterthwaite degrees of freedom"),
                    "Sequential",
                            Map.of(
                                    "ci",
                                            "[lower, upper] always-valid confidence interval of the lift at 1 - alpha",
                                    "pValue",
                                            "Always-valid p-value: the smallest alpha at which the sequence excludes 0"),
                    "Bayesian",
                            Map.of(
                                    "chanceToWin",
                                            "Posterior probability that the lift is positive, in [0, 1]",
                                    "ci",
                                            "[lower, upper] credible interval of the lift at 1 - alpha",
                                    "risk",
                                            "Expected loss, in the lift's unit, of choosing each side"),
                    "Risk",
                            Map.of(
                                    "control", "Expected loss of keeping the control",
                                    "treatment", "Expected loss of shipping the treatment"),
                    "SrmResult",
                            Map.of(
                                    "pValue",
                                            "Chi-square goodness-of-fit p-value of units per arm against the weights",
                                    "mismatch",
                                            "True when pValue < 0.001: the split is broken, distrust the results"));

    @Override
    @SuppressWarnings("rawtypes")
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        DESCRIPTIONS.forEach(
                (schemaName, fields) -> {
                    Schema<?> schema = schemas.get(schemaName);
                    if (schema == null || schema.getProperties() == null) {
                        return;
                    }
                    fields.forEach(
                            (field, description) -> {
                                Schema<?> property = (Schema<?>) schema.getProperties().get(field);
                                if (property != null) {
                                    property.setDescription(description);
                                }
                            });
                });
    }
}
