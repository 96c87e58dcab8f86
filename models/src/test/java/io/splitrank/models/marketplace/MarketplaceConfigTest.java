package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

final class MarketplaceConfigTest {

    @Test
    void defaultsHaveAtLeastThreeScenariosAndThreeConversionTypesWithOneValued() {
        MarketplaceConfig config = MarketplaceConfig.defaults();
        assertThat(config.scenarios())
                .extracting(ScenarioSpec::name)
                .containsExactly("home", "search", "detail");
        assertThat(config.conversionTypes())
                .extracting(ConversionTypeSpec::name)
                .containsExactly("install", "register", "purchase");
        assertThat(config.conversionTypes())
                .filteredOn(ConversionTypeSpec::valued)
                .extracting(ConversionTypeSpec::name)
                .containsExactly("purchase");
    }

    @Test
    void jsonRoundTripKeepsEveryParameter() {
        MarketplaceConfig config =
                MarketplaceConfig.defaults()
                        .withSeed(-8_070_450_532_247_928_832L)
                        .withNumUsers(123)
                        .withLatentDim(4)
                        .withActivityWeight(0.125)
                        .withAmount(new AmountSpec(3.25, 0.5, 0.4, 1e-9));
        assertThat(MarketplaceConfig.fromJson(config.toJson())).isEqualTo(config);
    }

    @Test
    void withMethodsChangeOneFieldAndLeaveTheRest() {
        MarketplaceConfig base = MarketplaceConfig.defaults();
        MarketplaceConfig changed = base.withNumAds(7);
        assertThat(changed.numAds()).isEqualTo(7);
        assertThat(changed.withNumAds(base.numAds())).isEqualTo(base);
    }

    @Test
    void rejectsEmptyScenarioListsAndNonPositiveSizes() {
        assertThatThrownBy(() -> MarketplaceConfig.defaults().withScenarios(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MarketplaceConfig.defaults().withNumUsers(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonEscapesAndParsesStrings() {
        Object parsed =
                MarketplaceJson.read(
                        MarketplaceJson.write(List.of("a\"b\\c\n", 1L, 2.5, true)), Object.class);
        assertThat(parsed).isEqualTo(List.of("a\"b\\c\n", 1L, 2.5, true));
    }
}
