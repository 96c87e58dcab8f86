package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which edits start a new phase. */
final class PhaseChangeTest {

    private static final Experiment BASE =
            Experiment.builder("ranker-ektm")
                    .arm("control", "baseline", 0.5)
                    .arm("ektm", "ektm", 0.5)
                    .layer("ranking", new LayerRange(0, 0.5))
                    .condition(Map.of("country", "US"))
                    .coverage(0.2)
                    .phase(3)
                    .build();

    @Test
    void editsThatMoveUnitsBetweenArmsRequireANewPhase() {
        assertThat(changes(BASE.toBuilder().seed("other").build())).containsExactly("seed");
        assertThat(changes(BASE.toBuilder().hashAttribute("deviceId").build()))
                .containsExactly("hashAttribute");
        assertThat(changes(BASE.toBuilder().hashVersion(1).build())).containsExactly("hashVersion");
        assertThat(
                        changes(
                                BASE.toBuilder()
                                        .arms(
                                                List.of(
                                                        arm("control", "baseline", 0.6),
                                                        arm("ektm", "ektm", 0.4)))
                                        .build()))
                .containsExactly("weights");
        assertThat(
                        changes(
                                BASE.toBuilder()
                                        .arms(
                                                List.of(
                                                        arm("control", "baseline", 0.5),
                                                        arm("aem", "ektm", 0.5)))
                                        .build()))
                .containsExactly("arms");
        assertThat(
                        changes(
                                BASE.toBuilder()
                                        .arms(
                                                List.of(
                                                        arm("ektm", "ektm", 0.5),
                                                        arm("control", "baseline", 0.5)))
                                        .build()))
                .containsExactly("arms", "models");
        assertThat(
                        changes(
                                BASE.toBuilder()
                                        .arms(
                                                List.of(
                                                        arm("control", "baseline", 0.34),
                                                        arm("ektm", "ektm", 0.33),
                                                        arm("htlnet", "htlnet", 0.33)))
                                        .build()))
                .containsExactly("arms", "weights", "models");
    }

    @Test
    void changingTheModelAnArmServesRequiresANewPhase() {
        Experiment edited =
                BASE.toBuilder()
                        .arms(List.of(arm("control", "baseline", 0.5), arm("ektm", "aem2tl", 0.5)))
                        .build();
        assertThat(changes(edited)).containsExactly("models");
    }

    @Test
    void editsThatOnlyChangeWhoEntersKeepThePhase() {
        Experiment edited =
                BASE.toBuilder()
                        .coverage(1)
                        .condition(Map.of())
                        .layer("ranking", new LayerRange(0, 0.7))
                        .arms(
                                List.of(
                                        new Arm("control", "Control (prod)", "baseline", 0.5),
                                        new Arm("ektm", "EKTM v2 name", "ektm", 0.5)))
                        .build();
        assertThat(PhaseChange.requiresNewPhase(BASE, edited)).isFalse();
        assertThat(PhaseChange.applyEdit(BASE, edited).phase()).isEqualTo(3);
        assertThat(PhaseChange.applyEdit(BASE, edited).phaseSeed()).isEqualTo(BASE.phaseSeed());
    }

    @Test
    void applyEditAdvancesThePhaseByOne() {
        Experiment edited = BASE.toBuilder().seed("reseed").phase(1).build();
        Experiment stored = PhaseChange.applyEdit(BASE, edited);
        assertThat(stored.phase()).isEqualTo(4);
        assertThat(stored.phaseSeed()).isEqualTo("reseed:4");
    }

    private static List<String> changes(Experiment edited) {
        assertThat(PhaseChange.requiresNewPhase(BASE, edited)).isTrue();
        return PhaseChange.changedAssignmentFields(BASE, edited);
    }

    private static Arm arm(String key, String model, double weight) {
        return new Arm(key, key, model, weight);
    }
}
