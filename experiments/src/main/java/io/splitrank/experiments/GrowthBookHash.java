package io.splitrank.experiments;

import java.util.OptionalDouble;

/**
 * GrowthBook's published bucketing hash, bit-compatible with its SDKs.
 *
 * <ul>
 *   <li>version 1: {@code (fnv(value + seed) % 1000) / 1000} (biased; GrowthBook keeps it for
 *       namespaces)
 *   <li>version 2: {@code (fnv(str(fnv(seed + value))) % 10000) / 10000}
 * </ul>
 *
 * Strings are hashed as UTF-16 code units, see {@link FnvHash}. The primitive methods do not
 * allocate.
 */
public final class GrowthBookHash {

    /** The original, biased hash version. */
    public static final int V1 = 1;

    /** The current, unbiased hash version; the default for experiments. */
    public static final int V2 = 2;

    private GrowthBookHash() {}

    /** True for the versions this class implements (1 and 2). */
    public static boolean isSupportedVersion(int version) {
        return version == V1 || version == V2;
    }

    /** GrowthBook's {@code hash(seed, value, version)}; empty for an unsupported version. */
    public static OptionalDouble hash(String seed, String value, int version) {
        return switch (version) {
            case V1 -> OptionalDouble.of(hashV1(seed, value));
            case V2 -> OptionalDouble.of(hashV2(seed, value));
            default -> OptionalDouble.empty();
        };
    }

    /** Version 1: {@code (fnv(value + seed) % 1000) / 1000}. */
    public static double hashV1(CharSequence seed, CharSequence value) {
        return fromV1(FnvHash.update(FnvHash.update(FnvHash.OFFSET_BASIS, value), seed));
    }

    /** Version 2: {@code (fnv(str(fnv(seed + value))) % 10000) / 10000}. */
    public static double hashV2(CharSequence seed, CharSequence value) {
        return fromV2Inner(FnvHash.update(FnvHash.update(FnvHash.OFFSET_BASIS, seed), value));
    }

    /**
     * GrowthBook's {@code inNamespace}: true when {@code hash("__" + namespace, hashValue, 1)} lies
     * in [start, end). Splitrank calls a namespace a layer.
     */
    public static boolean inNamespace(
            String hashValue, String namespace, double start, double end) {
        double n = namespaceHash(hashValue, namespace);
        return n >= start && n < end;
    }

    /** {@code hash("__" + namespace, hashValue, 1)} without building the seed string. */
    public static double namespaceHash(CharSequence hashValue, CharSequence namespace) {
        int h = FnvHash.update(FnvHash.OFFSET_BASIS, hashValue);
        h = FnvHash.update(FnvHash.update(h, '_'), '_');
        return fromV1(FnvHash.update(h, namespace));
    }

    /** Turns a finished version-1 FNV state into the hash value. */
    static double fromV1(int fnv) {
        return (Integer.toUnsignedLong(fnv) % 1000) / 1000.0;
    }

    /** Turns a finished FNV state of {@code seed + value} into the version-2 hash value. */
    static double fromV2Inner(int innerFnv) {
        int outer = FnvHash.updateDecimal(FnvHash.OFFSET_BASIS, Integer.toUnsignedLong(innerFnv));
        return (Integer.toUnsignedLong(outer) % 10000) / 10000.0;
    }
}
