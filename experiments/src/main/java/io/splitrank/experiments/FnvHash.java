package io.splitrank.experiments;

/**
 * FNV-1a, 32 bits, over UTF-16 code units, exactly as GrowthBook's JavaScript SDK computes it
 * ({@code hval ^= str.charCodeAt(i); hval *= 16777619}). Hashing code units rather than UTF-8 bytes
 * is what keeps non-ASCII ids compatible with that SDK. The incremental form ({@link #update}) lets
 * callers hash a concatenation without building the string.
 */
public final class FnvHash {

    /** The FNV-1a 32-bit offset basis, {@code 0x811c9dc5}. */
    public static final int OFFSET_BASIS = 0x811c9dc5;

    /**
     * The FNV 32-bit prime, 16777619 ({@code 1 + 2 + 16 + 128 + 256 + 2^24}, GrowthBook's
     * shift-and-add form).
     */
    public static final int PRIME = 16777619;

    private FnvHash() {}

    /**
     * FNV-1a of {@code s} as an unsigned 32-bit value in a long, as GrowthBook's {@code hashFnv32a}
     * returns it.
     */
    public static long fnv1a32(CharSequence s) {
        return Integer.toUnsignedLong(update(OFFSET_BASIS, s));
    }

    /**
     * Continues a running hash {@code h} (start with {@link #OFFSET_BASIS}) with the code units of
     * {@code s}.
     */
    public static int update(int h, CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return h;
    }

    /** Continues a running hash with one UTF-16 code unit. */
    public static int update(int h, char c) {
        return (h ^ c) * PRIME;
    }

    /**
     * Continues a running hash with the decimal digits of the unsigned value {@code v} (no sign, no
     * leading zeros), i.e. with {@code Long.toString(v)} but without allocating it. {@code v} must
     * be non-negative.
     */
    public static int updateDecimal(int h, long v) {
        // Digits are peeled off with constant divisions (which the JIT turns into multiplications)
        // and packed
        // four bits each, most significant digit ending up in the lowest nibble; a long holds up to
        // 16 digits.
        if (v >= 10_000_000_000_000_000L) {
            return update(h, Long.toString(v));
        }
        long packed = 0;
        int digits = 0;
        do {
            packed = (packed << 4) | (v % 10);
            v /= 10;
            digits++;
        } while (v != 0);
        for (int i = 0; i < digits; i++) {
            h = (h ^ ('0' + (int) (packed & 0xF))) * PRIME;
            packed >>>= 4;
        }
        return h;
    }
}
