package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FNV-1a 32-bit, checked against the published FNV test vectors (Fowler/Noll/Vo, IETF
 * draft-eastlake-fnv).
 */
final class FnvHashTest {

    @ParameterizedTest(name = "fnv1a32(\"{0}\") = {1}")
    @CsvSource(
            textBlock =
                    """
            '',       811c9dc5
            a,        e40c292c
            foobar,   bf9cf968
            """)
    void matchesThePublishedFnv1aVectors(String input, String hex) {
        assertThat(FnvHash.fnv1a32(input)).isEqualTo(Long.parseLong(hex, 16));
    }

    @Test
    void hashingDecimalDigitsInPlaceEqualsHashingTheirString() {
        long[] edges = {
            0,
            9,
            10,
            99,
            100,
            4_294_967_295L,
            9_999_999_999_999_999L,
            10_000_000_000_000_000L,
            Long.MAX_VALUE
        };
        for (long v : edges) {
            assertThat(FnvHash.updateDecimal(FnvHash.OFFSET_BASIS, v))
                    .as("%d", v)
                    .isEqualTo(FnvHash.update(FnvHash.OFFSET_BASIS, Long.toString(v)));
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(1L << 32);
            assertThat(FnvHash.updateDecimal(7, v)).isEqualTo(FnvHash.update(7, Long.toString(v)));
        }
    }

    @Test
    void incrementalHashingEqualsHashingTheConcatenation() {
        int h = FnvHash.update(FnvHash.update(FnvHash.OFFSET_BASIS, "seed"), "value");
        assertThat(Integer.toUnsignedLong(h)).isEqualTo(FnvHash.fnv1a32("seedvalue"));
    }
}
