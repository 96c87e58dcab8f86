package io.splitrank.models.marketplace;

import java.nio.file.Path;

/**
 * Command line: writes a train/valid/test split of the default marketplace (or one with another
 * world seed) and prints its base rates.
 *
 * <pre>
 * mvn -q -B -o -pl models compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp models/target/classes:$(cat models/target/classpath.txt) \
 *     io.splitrank.models.marketplace.GenerateDataset OUT_DIR [TRAIN VALID TEST [WORLD_SEED]]
 * </pre>
 *
 * Defaults: 1,000,000 / 200,000 / 200,000 impressions and {@link MarketplaceConfig#DEFAULT_SEED}.
 */
public final class GenerateDataset {

    private GenerateDataset() {}

    /** Entry point; see the class comment for the arguments. */
    public static void main(String[] args) {
        if (args.length != 1 && args.length != 4 && args.length != 5) {
            System.err.println("usage: GenerateDataset OUT_DIR [TRAIN VALID TEST [WORLD_SEED]]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int train = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int valid = args.length > 1 ? Integer.parseInt(args[2]) : 200_000;
        int test = args.length > 1 ? Integer.parseInt(args[3]) : 200_000;
        MarketplaceConfig config = MarketplaceConfig.defaults();
        if (args.length == 5) {
            config = config.withSeed(Long.parseLong(args[4]));
        }
        Split split = new Marketplace(config).splits(train, valid, test);
        DatasetFiles.writeSplit(out, config, split);
        System.out.println("wrote " + out.toAbsolutePath());
        System.out.print("train: " + LogSummary.of(split.train()).describe(split.train()));
        System.out.print("test:  " + LogSummary.of(split.test()).describe(split.test()));
    }
}
