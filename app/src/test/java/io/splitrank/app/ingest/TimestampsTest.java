package io.splitrank.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written reading of the usual timestamp shape agrees with java.time's on every input. */
class TimestampsTest {

    /** What java.time makes of it: the instant, or null when it refuses. */
    private static Instant reference(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant ours(String text) {
        try {
            return Timestamps.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void agreesWithOffsetDateTimeOnValidAndAlmostValidTimestamps() {
        SplittableRandom random = new SplittableRandom(20261122);
        List<String> inputs =
                new ArrayList<>(
                        List.of(
                                "2026-11-22T10:15:30Z",
                                "2026-11-22T10:15:30.1Z",
                                "2026-11-22T10:15:30.123456789Z",
                                "2026-11-22T10:15:30.1234567891Z",
                                "2026-11-22T10:15:30.Z",
                                "2024-02-29T23:59:59+14:00",
                                "2025-02-29T00:00:00Z",
                                "2026-04-31T00:00:00Z",
                                "2026-11-22T24:00:00Z",
                                "2026-11-22T10:60:00Z",
                                "2026-11-22T10:15:60Z",
                                "2026-11-22T10:15:30+18:00",
                                "2026-11-22T10:15:30+18:01",
                                "2026-11-22T10:15:30-00:00",
                                "2026-11-22T10:15:30+05:30",
                                "2026-11-22T10:15:30-09:45",
                                "2026-11-22T10:15Z",
                                "2026-11-22 10:15:30Z",
                                "2026-11-22T10:15:30z",
                                "2026-11-22T10:15:30",
                                "2026-11-22T10:15:30+0530",
                                "2026-11-22T10:15:30+05",
                                "2026-11-22T10:15:30+05:30:15",
                                "+2026-11-22T10:15:30Z",
                                "0000-01-01T00:00:00Z",
                                "9999-12-31T23:59:59.999999999Z",
                                "2026-1a-22T10:15:30Z",
                                "2026-11-22T10:15:30.5+01:00",
                                "２０２６-11-22T10:15:30Z"));
        String digits = "0123456789";
        String[] shapes = {
            "Z", "+01:00", "-07:30", "+14:00", ".5Z", ".123Z", ".123456Z", ".999999999-03:00"
        };
        for (int i = 0; i < 20_000; i++) {
            StringBuilder s =
                    new StringBuilder(
                            String.format(
                                    "%04d-%02d-%02dT%02d:%02d:%02d",
                                    random.nextInt(2100),
                                    random.nextInt(14),
                                    random.nextInt(33),
                                    random.nextInt(26),
                                    random.nextInt(62),
                                    random.nextInt(62)));
            s.append(shapes[random.nextInt(shapes.length)]);
            if (random.nextInt(10) == 0) {
                // a random character somewhere replaced by a digit, a letter or a separator
                s.setCharAt(
                        random.nextInt(s.length()),
                        random.nextBoolean()
                                ? digits.charAt(random.nextInt(10))
                                : "T:-+.Zx ".charAt(random.nextInt(8)));
            }
            inputs.add(s.toString());
        }
        int accepted = 0;
        for (String input : inputs) {
            assertThat(ours(input)).as(input).isEqualTo(reference(input));
            accepted += reference(input) == null ? 0 : 1;
        }
        assertThat(accepted)
                .as("the inputs hold both accepted and refused timestamps")
                .isBetween(1000, inputs.size() - 1000);
    }

    @Test
    void epochMillisecondsAreDigitsOnly() {
        assertThat(Timestamps.parse("1763806530123"))
                .isEqualTo(Instant.ofEpochMilli(1763806530123L));
        assertThatThrownBy(() -> Timestamps.parse("")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Timestamps.parse("99999999999999999999"))
                .isInstanceOf(NumberFormatException.class);
    }

    @Test
    void writesInstantsAsInstantToStringDoes() {
        SplittableRandom random = new SplittableRandom(20261202);
        List<Instant> instants =
                new ArrayList<>(
                        List.of(
                                Instant.EPOCH,
                                Instant.parse("2026-11-22T10:15:30Z"),
                                Instant.parse("2026-11-22T10:15:30.100Z"),
                                Instant.parse("2026-11-22T10:15:30.000100Z"),
                                Instant.parse("2026-11-22T10:15:30.000000001Z"),
                                Instant.parse("2024-02-29T23:59:59.999999999Z"),
                                Instant.parse("1969-12-31T23:59:59.5Z"),
                                Instant.parse("1000-01-01T00:00:00Z"),
                                Instant.parse("9999-12-31T23:59:59Z"),
                                Instant.parse("0999-12-31T23:59:59Z"),
                                Instant.parse("+10000-01-01T00:00:00Z"),
                                Instant.parse("-0001-01-01T00:00:00Z")));
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-40_000_000_000L, 260_000_000_000L);
            int nanos =
                    switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    };
            instants.add(Instant.ofEpochSecond(second, nanos));
        }
        for (Instant t : instants) {
            assertThat(Timestamps.appendIso(new StringBuilder("x"), t).toString())
                    .as("%s", t)
                    .isEqualTo("x" + t);
        }
    }
}
