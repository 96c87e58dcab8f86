package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every case of GrowthBook's published SDK test vectors ({@code growthbook-cases.json}: the
 * sections of {@code packages/sdk-js/test/cases.json} in the GrowthBook repository, spec version
 * 0.8.0) for the six functions Splitrank implements. Hashes and chosen variations must match
 * exactly; bucket ranges and equal weights are compared after flooring to 8 decimals, the tolerance
 * GrowthBook's own JavaScript test suite applies ({@code Math.floor(n * 1e8) / 1e8}).
 */
final class GrowthBookCasesTest {

    private static final Map<String, Object> CASES = load();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load() {
        try (InputStream in =
                GrowthBookCasesTest.class.getResourceAsStream("/growthbook-cases.json")) {
            return JsonMapper.builder().build().readValue(in, Map.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<List<Object>> cases(String section) {
        return (List<List<Object>>) CASES.get(section);
    }

    private static Stream<Arguments> section(String section) {
        List<List<Object>> cases = cases(section);
        return IntStream.range(0, cases.size()).mapToObj(i -> Arguments.of(i, cases.get(i)));
    }

    static Stream<Arguments> hashCases() {
        return section("hash");
    }

    static Stream<Arguments> bucketRangeCases() {
        return section("getBucketRange");
    }

    static Stream<Arguments> chooseVariationCases() {
        return section("chooseVariation");
    }

    static Stream<Arguments> inNamespaceCases() {
        return section("inNamespace");
    }

    static Stream<Arguments> equalWeightsCases() {
        return section("getEqualWeights");
    }

    static Stream<Arguments> conditionCases() {
        return section("evalCondition");
    }

    @Test
    void everySectionOfTheReferenceFileIsCovered() {
        assertThat(CASES.keySet())
                .containsExactlyInAnyOrder(
                        "specVersion",
                        "hash",
                        "getBucketRange",
                        "chooseVariation",
                        "inNamespace",
                        "getEqualWeights",
                        "evalCondition");
        assertThat(cases("hash")).hasSize(15);
        assertThat(cases("getBucketRange")).hasSize(13);
        assertThat(cases("chooseVariation")).hasSize(13);
        assertThat(cases("inNamespace")).hasSize(16);
        assertThat(cases("getEqualWeights")).hasSize(6);
        assertThat(cases("evalCondition")).hasSize(248);
    }

    @ParameterizedTest(name = "hash[{0}] {1}")
    @MethodSource("hashCases")
    void hashMatchesGrowthBook(int index, List<Object> c) {
        OptionalDouble actual =
                GrowthBookHash.hash(
                        (String) c.get(0), (String) c.get(1), number(c.get(2)).intValue());
        if (c.get(3) == null) {
            assertThat(actual).isEmpty();
        } else {
            assertThat(actual).hasValue(number(c.get(3)).doubleValue());
        }
    }

    @ParameterizedTest(name = "getBucketRange[{0}] {1}")
    @MethodSource("bucketRangeCases")
    @SuppressWarnings("unchecked")
    void bucketRangesMatchGrowthBook(int index, List<Object> c) {
        List<Object> args = (List<Object>) c.get(1);
        double coverage = args.get(1) == null ? 1 : number(args.get(1)).doubleValue();
        List<Number> weights = (List<Number>) args.get(2);
        List<BucketRange> ranges =
                BucketRanges.getBucketRange(number(args.get(0)).intValue(), coverage, weights);
        List<List<Double>> actual =
                ranges.stream().map(r -> List.of(floor8(r.start()), floor8(r.end()))).toList();
        assertThat(actual).isEqualTo(floor8Pairs((List<List<Number>>) c.get(2)));
    }

    @ParameterizedTest(name = "chooseVariation[{0}] {1}")
    @MethodSource("chooseVariationCases")
    @SuppressWarnings("unchecked")
    void chooseVariationMatchesGrowthBook(int index, List<Object> c) {
        List<BucketRange> ranges =
                ((List<List<Number>>) c.get(2))
                        .stream()
                                .map(
                                        r ->
                                                new BucketRange(
                                                        r.get(0).doubleValue(),
                                                        r.get(1).doubleValue()))
                                .toList();
        assertThat(BucketRanges.chooseVariation(number(c.get(1)).doubleValue(), ranges))
                .isEqualTo(number(c.get(3)).intValue());
    }

    @ParameterizedTest(name = "inNamespace[{0}] {1}")
    @MethodSource("inNamespaceCases")
    @SuppressWarnings("unchecked")
    void inNamespaceMatchesGrowthBook(int index, List<Object> c) {
        List<Object> namespace = (List<Object>) c.get(2);
        assertThat(
                        GrowthBookHash.inNamespace(
                                (String) c.get(1),
                                (String) namespace.get(0),
                                number(namespace.get(1)).doubleValue(),
                                number(namespace.get(2)).doubleValue()))
                .isEqualTo(c.get(3));
    }

    @ParameterizedTest(name = "getEqualWeights[{0}] {1}")
    @MethodSource("equalWeightsCases")
    @SuppressWarnings("unchecked")
    void equalWeightsMatchGrowthBook(int index, List<Object> c) {
        List<Double> actual =
                BucketRanges.getEqualWeights(number(c.get(0)).intValue()).stream()
                        .map(GrowthBookCasesTest::floor8)
                        .toList();
        List<Double> expected =
                ((List<Number>) c.get(1)).stream().map(n -> floor8(n.doubleValue())).toList();
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest(name = "evalCondition[{0}] {1}")
    @MethodSource("conditionCases")
    @SuppressWarnings("unchecked")
    void conditionsEvaluateAsGrowthBook(int index, List<Object> c) {
        Map<String, Object> condition = (Map<String, Object>) c.get(1);
        Map<String, Object> attributes = (Map<String, Object>) c.get(2);
        Map<String, List<?>> savedGroups =
                c.size() > 4 ? (Map<String, List<?>>) c.get(4) : Map.of();
        assertThat(ConditionEvaluator.evalCondition(condition, attributes, savedGroups))
                .as("%s: %s on %s", c.get(0), condition, attributes)
                .isEqualTo(c.get(3));
    }

    private static Number number(Object o) {
        return (Number) o;
    }

    private static double floor8(double n) {
        return Math.floor(n * 1e8) / 1e8;
    }

    private static List<List<Double>> floor8Pairs(List<List<Number>> pairs) {
        List<List<Double>> out = new ArrayList<>();
        for (List<Number> p : pairs) {
            out.add(List.of(floor8(p.get(0).doubleValue()), floor8(p.get(1).doubleValue())));
        }
        return out;
    }
}
