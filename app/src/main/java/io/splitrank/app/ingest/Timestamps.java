package io.splitrank.app.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Event timestamps: ISO-8601 with an offset, or epoch milliseconds. The usual shape ({@code
 * 2026-11-22T10:15:30.123Z}, or with a {@code ±hh:mm} offset) is read by hand, since a batch holds
 * ten thousand of them and {@link OffsetDateTime#parse} costs several times more; every other shape
 * goes to {@link OffsetDateTime#parse}, so the two always agree on what is accepted and what it
 * means.
 */
public final class Timestamps {

    private Timestamps() {}

    /**
     * The instant, or a {@link DateTimeParseException} / {@link NumberFormatException} when it is
     * none.
     */
    public static Instant parse(String text) {
        if (!text.isEmpty() && allDigits(text)) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        Instant fast = fast(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±hh:mm), or null for anything else (left to the full parser).
     */
    private static Instant fast(String s) {
        int n = s.length();
        if (n < 20
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6
                && (s.charAt(i) == '+' || s.charAt(i) == '-')
                && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2);
            int om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
            if (Math.abs(offsetSeconds) > 18 * 3600) {
                return null;
            }
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // an impossible date: the full parser says why
        }
        return Instant.ofEpochSecond(
                epochDay * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds, nanos);
    }

    /**
     * The non-negative number in s[from, from + count), or -1 when a character is not an ASCII
     * digit.
     */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Appends the instant as {@link Instant#toString} writes it (ISO-8601 in UTC, the fraction in
     * groups of three digits, none when zero), by hand for the years 1000 to 9999 since the event
     * log's COPY writes one per event and the formatter cost more than the rest of the row; other
     * years go to {@link Instant#toString}.
     */
    static StringBuilder appendIso(StringBuilder sb, Instant t) {
        long seconds = t.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        if (year < 1000 || year > 9999) {
            return sb.append(t);
        }
        sb.append(year).append('-');
        two(sb, date.getMonthValue()).append('-');
        two(sb, date.getDayOfMonth()).append('T');
        two(sb, secondOfDay / 3600).append(':');
        two(sb, secondOfDay / 60 % 60).append(':');
        two(sb, secondOfDay % 60);
        int nanos = t.getNano();
        if (nanos != 0) {
            sb.append('.');
            if (nanos % 1_000_000 == 0) {
                fraction(sb, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                fraction(sb, nanos / 1000, 6);
            } else {
                fraction(sb, nanos, 9);
            }
        }
        return sb.append('Z');
    }

    private static StringBuilder two(StringBuilder sb, int value) {
        return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static void fraction(StringBuilder sb, int value, int digits) {
        for (int p = digits == 3 ? 100 : digits == 6 ? 100_000 : 100_000_000; p > 0; p /= 10) {
            sb.append((char) ('0' + value / p % 10));
        }
    }
}
