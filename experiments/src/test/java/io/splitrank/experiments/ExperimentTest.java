package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults, the phase seed and validation of {@link Experiment}. */
final class ExperimentTest {

    private static Experiment.Builder twoArms() {
        return Experiment.builder("ranker-ektm")
                .arm("control", "baseline", 0.5)
                .arm("ektm", "ektm", 0.5);
    }

    @Test
    void defaultsFollowGrowthBook() {
        Experiment e = twoArms().build();
        assertThat(e.seed()).isEqualTo("ranker-ektm");
        assertThat(e.hashAttribute()).isEqualTo("userId");
        assertThat(e.hashVersion()).isEqualTo(2);
        assertThat(e.coverage()).isEqualTo(1.0);
        assertThat(e.phase()).isEqualTo(1);
        assertThat(e.condition()).isEmpty();
        assertThat(e.layer()).isNull();
        assertThat(e.control().key()).isEqualTo("control");
        assertThat(e.weights()).containsExactly(0.5, 0.5);
    }

    @Test
    void phaseOneHashesWithTheSeedAndLaterPhasesAppendThePhaseNumber() {
        assertThat(twoArms().build().phaseSeed()).isEqualTo("ranker-ektm");
        assertThat(twoArms().phase(2).build().phaseSeed()).isEqualTo("ranker-ektm:2");
        assertThat(twoArms().seed("s").phase(12).build().phaseSeed()).isEqualTo("s:12");
    }

    @Test
    void engineBucketEqualsGrowthBookHashOfThePhaseSeed() {
        for (int phase : new int[] {1, 2, 9, 10, 123}) {
            for (int version : new int[] {1, 2}) {
                Experiment e = twoArms().phase(phase).hashVersion(version).build();
                assertThat(AssignmentEngine.bucket(e, "u-42"))
                        .isEqualTo(
                                GrowthBookHash.hash(e.phaseSeed(), "u-42", version).orElseThrow());
            }
        }
    }

    @Test
    void conditionIsDeepCopiedAndKeepsNullValues() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("$in", new ArrayList<>(List.of("US")));
        Map<String, Object> condition = new HashMap<>();
        condition.put("country", inner);
        condition.put("banned", null);
        Experiment e = twoArms().condition(condition).build();
        inner.put("$in", List.of("FR"));
        assertThat(e.condition()).containsEntry("banned", null);
        assertThat(ConditionEvaluator.evalCondition(e.condition(), Map.of("country", "US")))
                .isTrue();
    }

    @Test
    void invalidExperimentsAreRejectedWithTheFieldName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Experiment.builder(" ").build())
                .withMessageContaining("key");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> twoArms().coverage(1.2).build())
                .withMessageContaining("coverage");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> twoArms().hashVersion(3).build())
                .withMessageContaining("hashVersion");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> twoArms().phase(0).build())
                .withMessageContaining("phase");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Experiment.builder("k").arm("control", "baseline", 1).build())
                .withMessageContaining("arms");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> Experiment.builder("k").arm("a", "m", 0.5).arm("a", "m", 0.5).build())
                .withMessageContaining("duplicate");
        assertThatIllegalArgumentException()
                .isThrownBy(
                        () -> Experiment.builder("k").arm("a", "m", 0.5).arm("b", "m", 0.3).build())
                .withMessageContaining("sum to 1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> twoArms().layer("ranking", null).build())
                .withMessageContaining("layer");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LayerRange(0.5, 0.5))
                .withMessageContaining("layer range");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Arm("a", "a", "m", -0.1))
                .withMessageContaining("weight");
    }
}
