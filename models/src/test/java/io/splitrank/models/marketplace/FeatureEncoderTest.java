package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.ImpressionLog;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class FeatureEncoderTest {

    private static final Marketplace WORLD =
            new Marketplace(MarketplaceConfig.defaults().withNumUsers(200).withNumAds(50));

    @Test
    void specListsNineCategoricalAndTwoDenseFieldsWithAnUnknownBucket() {
        FeatureSpec spec = WORLD.featureSpec();
        assertThat(spec.categorical())
                .extracting(FeatureSpec.CategoricalField::name)
                .containsExactlyElementsOf(FeatureEncoder.CATEGORICAL_FIELDS);
        assertThat(spec.categorical().get(spec.categoricalIndex("user_id")).cardinality())
                .isEqualTo(201);
        assertThat(spec.categorical().get(spec.categoricalIndex("ad_id")).cardinality())
                .isEqualTo(51);
        assertThat(spec.categorical().get(spec.categoricalIndex("scenario")).cardinality())
                .isEqualTo(4);
        assertThat(spec.dense()).containsExactly("user_activity", "ad_bid");
        assertThat(spec.conversionTypes()).containsExactly("install", "register", "purchase");
    }

    @Test
    void encodingRawFeaturesByNameReproducesTheLoggedRow() {
        ImpressionLog log = WORLD.generate(200, 3L);
        FeatureEncoder encoder = WORLD.encoder();
        int nc = log.spec().categoricalCount();
        int nd = log.spec().denseCount();
        for (int i = 0; i < log.size(); i++) {
            int ad = log.categorical()[i * nc + log.spec().categoricalIndex("ad_id")] - 1;
            String scenario = log.spec().scenarios().get(log.scenario()[i]);
            EncodedFeatures encoded =
                    encoder.encode(
                            WORLD.userFeatures(log.userId()[i]), WORLD.adFeatures(ad), scenario);
            assertThat(encoded.categorical())
                    .isEqualTo(Arrays.copyOfRange(log.categorical(), i * nc, (i + 1) * nc));
            assertThat(encoded.dense())
                    .isEqualTo(Arrays.copyOfRange(log.dense(), i * nd, (i + 1) * nd));
            assertThat(encoded.scenario()).isEqualTo(log.scenario()[i]);
            assertThat(encoded.conversionType()).isEqualTo(log.conversionType()[i]);
        }
    }

    @Test
    void unknownOrMissingValuesMapToZero() {
        Map<String, Object> user =
                new HashMap<>(
                        Map.of(
                                "user_id",
                                "u999999",
                                "user_age",
                                "12-17",
                                "user_city",
                                9,
                                "user_activity",
                                -1.0));
        Map<String, Object> ad =
                Map.of("ad_id", "x1", "ad_category", "cat3", "conversion_type", "subscribe");
        EncodedFeatures e = WORLD.encoder().encode(user, ad, "video");
        assertThat(e.categorical()).containsExactly(0, 0, 0, 0, 0, 4, 0, 0, 0);
        assertThat(e.dense()).containsExactly(0f, 0f);
        assertThat(e.scenario()).isEqualTo(-1);
        assertThat(e.conversionType()).isEqualTo(-1);
        assertThat(WORLD.encoder().encode(null, null, null).categorical()).containsOnly(0);
    }

    @Test
    void idsMayBeGivenAsIndicesOrStrings() {
        EncodedFeatures e =
                WORLD.encoder()
                        .encode(
                                Map.of("user_id", 5, "user_city", "2"),
                                Map.of("ad_id", 7L, "ad_bid", 1.0),
                                "search");
        assertThat(e.categorical()[0]).isEqualTo(6);
        assertThat(e.categorical()[3]).isEqualTo(2);
        assertThat(e.categorical()[4]).isEqualTo(8);
        assertThat(e.categorical()[7]).isEqualTo(2);
        assertThat(e.dense()[1]).isEqualTo(0f);
    }

    @Test
    void featureSpecJsonRoundTrips() {
        FeatureSpec spec = WORLD.featureSpec();
        assertThat(FeatureSpecJson.fromJson(FeatureSpecJson.toJson(spec))).isEqualTo(spec);
    }

    @Test
    void rejectsASpecThatIsNotTheMarketplaces() {
        FeatureSpec other =
                new FeatureSpec(
                        List.of(new FeatureSpec.CategoricalField("item", 3)),
                        List.of(),
                        List.of("home"),
                        List.of("click"));
        assertThatThrownBy(() -> new FeatureEncoder(other))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
