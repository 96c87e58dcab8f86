package io.splitrank.models.marketplace;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.ImpressionLog;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an {@link ImpressionLog} to a directory and reads it back identically. A dataset directory
 * holds {@code marketplace.json} (format, version, size, impression seed, feature spec and every
 * marketplace parameter including the world seed) and {@code impressions.bin}: a magic header, then
 * the columns of {@link ImpressionLog} in record order as big-endian ints and floats. A split is
 * three such directories, {@code train}, {@code valid} and {@code test}.
 */
public final class DatasetFiles {

    /** The parameter file's name. */
    public static final String PARAMETERS_FILE = "marketplace.json";

    /** The column file's name. */
    public static final String COLUMNS_FILE = "impressions.bin";

    private static final String FORMAT = "splitrank-impressions";
    private static final int VERSION = 1;
    private static final int MAGIC = 0x53524931; // "SRI1"

    private DatasetFiles() {}

    /** The content of {@code marketplace.json}, in the order written. */
    private record Parameters(
            String format,
            int version,
            int size,
            long impressionSeed,
            FeatureSpec featureSpec,
            MarketplaceConfig marketplace) {}

    /** Writes a dataset to {@code dir} (created if needed; existing files are replaced). */
    public static void write(Path dir, StoredDataset dataset) {
        ImpressionLog log = dataset.log();
        Parameters parameters =
                new Parameters(
                        FORMAT,
                        VERSION,
                        log.size(),
                        dataset.impressionSeed(),
                        log.spec(),
                        dataset.config());
        try {
            Files.createDirectories(dir);
            Files.writeString(
                    dir.resolve(PARAMETERS_FILE),
                    MarketplaceJson.write(parameters),
                    StandardCharsets.UTF_8);
            try (DataOutputStream out =
                    new DataOutputStream(
                            new BufferedOutputStream(
                                    Files.newOutputStream(dir.resolve(COLUMNS_FILE)), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(log.size());
                out.writeInt(log.spec().categoricalCount());
                out.writeInt(log.spec().denseCount());
                for (int[] column :
                        List.of(
                                log.categorical(),
                                log.scenario(),
                                log.conversionType(),
                                log.userId())) {
                    for (int v : column) {
                        out.writeInt(v);
                    }
                }
                for (float[] column :
                        List.of(
                                log.dense(),
                                log.click(),
                                log.conversion(),
                                log.relatedAction(),
                                log.amount())) {
                    for (float v : column) {
                        out.writeFloat(v);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dataset to " + dir, e);
        }
    }

    /** Reads a dataset written by {@link #write}. */
    public static StoredDataset read(Path dir) {
        try {
            Parameters parameters =
                    MarketplaceJson.read(
                            Files.readString(dir.resolve(PARAMETERS_FILE), StandardCharsets.UTF_8),
                            Parameters.class);
            if (!FORMAT.equals(parameters.format()) || parameters.version() != VERSION) {
                throw new IllegalArgumentException(
                        "not a " + FORMAT + " v" + VERSION + " dataset: " + dir);
            }
            FeatureSpec spec = parameters.featureSpec();
            MarketplaceConfig config = parameters.marketplace();
            long seed = parameters.impressionSeed();
            try (DataInputStream in =
                    new DataInputStream(
                            new BufferedInputStream(
                                    Files.newInputStream(dir.resolve(COLUMNS_FILE)), 1 << 16))) {
                if (in.readInt() != MAGIC) {
                    throw new IllegalArgumentException("bad magic in " + dir.resolve(COLUMNS_FILE));
                }
                int size = in.readInt();
                int nc = in.readInt();
                int nd = in.readInt();
                if (size != parameters.size()
                        || nc != spec.categoricalCount()
                        || nd != spec.denseCount()) {
                    throw new IllegalArgumentException(
                            "column file does not match " + PARAMETERS_FILE);
                }
                int[] categorical = ints(in, size * nc);
                int[] scenario = ints(in, size);
                int[] type = ints(in, size);
                int[] user = ints(in, size);
                float[] dense = floats(in, size * nd);
                ImpressionLog log =
                        new ImpressionLog(
                                spec,
                                size,
                                categorical,
                                dense,
                                scenario,
                                type,
                                user,
                                floats(in, size),
                                floats(in, size),
                                floats(in, size),
                                floats(in, size));
                return new StoredDataset(config, seed, log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset from " + dir, e);
        }
    }

    /** Writes a split as {@code root/train}, {@code root/valid} and {@code root/test}. */
    public static void writeSplit(Path root, MarketplaceConfig config, Split split) {
        write(root.resolve("train"), new StoredDataset(config, split.trainSeed(), split.train()));
        write(root.resolve("valid"), new StoredDataset(config, split.validSeed(), split.valid()));
        write(root.resolve("test"), new StoredDataset(config, split.testSeed(), split.test()));
    }

    /** Reads a split written by {@link #writeSplit}. */
    public static Split readSplit(Path root) {
        StoredDataset train = read(root.resolve("train"));
        StoredDataset valid = read(root.resolve("valid"));
        StoredDataset test = read(root.resolve("test"));
        return new Split(
                train.log(),
                valid.log(),
                test.log(),
                train.impressionSeed(),
                valid.impressionSeed(),
                test.impressionSeed());
    }

    private static int[] ints(DataInputStream in, int n) throws IOException {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.readInt();
        }
        return out;
    }

    private static float[] floats(DataInputStream in, int n) throws IOException {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = in.readFloat();
        }
        return out;
    }
}
