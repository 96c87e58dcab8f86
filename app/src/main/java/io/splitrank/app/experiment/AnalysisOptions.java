package io.splitrank.app.experiment;

import io.splitrank.stats.Correction;
import io.splitrank.stats.DifferenceType;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An experiment's analysis options with the platform's defaults applied: the one place those
 * defaults and the ids of the corrections and difference types are written.
 *
 * @param alpha significance level (default 0.05)
 * @param differenceType relative (default) or absolute lift
 * @param correction multiple-comparison correction (default Holm)
 * @param sequentialTuning N* of the always-valid confidence sequence (default 5000)
 * @param capPercentile winsorise values at this percentile, or null for no capping
 * @param cupedDays days of pre-exposure data for CUPED (default 0: off)
 * @param reportCron the scheduled report's cron, or null for the platform's default
 * @param webhookUrl called with a summary when a scheduled report is written (and with decision and
 *     ramp events), or null
 * @param plannedUnits the planned sample in exposed units, or null for none
 */
public record AnalysisOptions(
        double alpha,
        DifferenceType differenceType,
        Correction correction,
        int sequentialTuning,
        Double capPercentile,
        int cupedDays,
        String reportCron,
        String webhookUrl,
        Long plannedUnits) {

    public static final double DEFAULT_ALPHA = 0.05;
    public static final int DEFAULT_SEQUENTIAL_TUNING = 5000;

    /** The ids clients write for each correction. */
    private static final Map<String, Correction> CORRECTIONS =
            Map.of(
                    "holm",
                    Correction.HOLM,
                    "benjamini-hochberg",
                    Correction.BENJAMINI_HOCHBERG,
                    "none",
                    Correction.NONE);

    /** The defaults, for an experiment that sets no analysis options. */
    public static AnalysisOptions defaults() {
        return of(null);
    }

    /**
     * The options of an experiment document (absent ones take the defaults); ids are assumed valid.
     */
    static AnalysisOptions of(ExperimentDocument.Analysis a) {
        if (a == null) {
            return new AnalysisOptions(
                    DEFAULT_ALPHA,
                    DifferenceType.RELATIVE,
                    Correction.HOLM,
                    DEFAULT_SEQUENTIAL_TUNING,
                    null,
                    0,
                    null,
                    null,
                    null);
        }
        return new AnalysisOptions(
                a.alpha() == null ? DEFAULT_ALPHA : a.alpha(),
                a.differenceType() == null
                        ? DifferenceType.RELATIVE
                        : differenceType(a.differenceType()).orElseThrow(),
                a.correction() == null ? Correction.HOLM : correction(a.correction()).orElseThrow(),
                a.sequentialTuning() == null ? DEFAULT_SEQUENTIAL_TUNING : a.sequentialTuning(),
                a.capPercentile(),
                a.cupedDays() == null ? 0 : a.cupedDays(),
                a.reportCron(),
                a.webhookUrl(),
                a.plannedUnits());
    }

    /** The correction of an id: holm, benjamini-hochberg or none. */
    public static Optional<Correction> correction(String id) {
        return Optional.ofNullable(id == null ? null : CORRECTIONS.get(id));
    }

    /** The difference type of an id: relative or absolute. */
    public static Optional<DifferenceType> differenceType(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return switch (id) {
            case "relative" -> Optional.of(DifferenceType.RELATIVE);
            case "absolute" -> Optional.of(DifferenceType.ABSOLUTE);
            default -> Optional.empty();
        };
    }

    /** The id clients use for a difference type. */
    public static String id(DifferenceType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
