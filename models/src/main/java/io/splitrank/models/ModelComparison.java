package io.splitrank.models;

import ai.djl.Model;
import io.splitrank.models.artifact.ModelArtifact;
import io.splitrank.models.artifact.ModelMetadata;
import io.splitrank.models.artifact.RankingModel;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.eval.OfflineEvaluation;
import io.splitrank.models.eval.OfflineReport;
import io.splitrank.models.eval.Predictions;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import io.splitrank.models.marketplace.Split;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.nn.NetworkDimensions;
import io.splitrank.models.train.OfflineScorer;
import io.splitrank.models.train.RankingTrainer;
import io.splitrank.models.train.TrainingReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline comparison of the four architectures: generates the marketplace splits, trains each
 * model, evaluates it on the held-out test split, saves its artifact, checks that the saved
 * artifact predicts exactly what the trained model did, and writes the comparison as Markdown.
 *
 * <pre>
 * ModelComparison [--quick] [--out docs/offline-evaluation.md] [--artifacts models-artifacts]
 *                 [--seed N] [--train N] [--valid N] [--test N] [--epochs N] [--max-minutes M]
 *                 [--validate-every STEPS]
 *                 [--models baseline,ektm,htlnet,aem2tl]
 * </pre>
 */
public final class ModelComparison {

    /** Sizes and budgets of one run. */
    record Settings(
            long seed,
            int train,
            int valid,
            int test,
            int epochs,
            int batchSize,
            int validateEvery,
            double maxMinutesPerModel,
            Path out,
            Path artifacts,
            List<Architecture> architectures,
            boolean quick) {

        static Settings parse(String[] args) {
            boolean quick = Arrays.asList(args).contains("--quick");
            long seed = MarketplaceConfig.DEFAULT_SEED;
            int train = quick ? 20_000 : 1_000_000;
            int valid = quick ? 5_000 : 100_000;
            int test = quick ? 10_000 : 200_000;
            int epochs = quick ? 2 : 8;
            int batch = 1024;
            int validateEvery = quick ? 0 : 250;
            double minutes = quick ? 1 : 2.5;
            Path out = Path.of("docs/offline-evaluation.md");
            Path artifacts = Path.of("models-artifacts");
            List<Architecture> archs = List.of(Architecture.values());
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {}
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--train" -> train = Integer.parseInt(args[++i]);
                    case "--valid" -> valid = Integer.parseInt(args[++i]);
                    case "--test" -> test = Integer.parseInt(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--validate-every" -> validateEvery = Integer.parseInt(args[++i]);
                    case "--max-minutes" -> minutes = Double.parseDouble(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--artifacts" -> artifacts = Path.of(args[++i]);
                    case "--models" ->
                            archs =
                                    Arrays.stream(args[++i].split(","))
                                            .map(Architecture::fromKey)
                                            .toList();
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Settings(
                    seed,
                    train,
                    valid,
                    test,
                    epochs,
                    batch,
                    validateEvery,
                    minutes,
                    out,
                    artifacts,
                    archs,
                    quick);
        }
    }

    /** One model's outcome. */
    record ModelRun(
            Architecture architecture,
            TrainingReport training,
            OfflineReport report,
            long parameters,
            double inferenceMillisPer1000,
            boolean reloadIdentical,
            Path artifact) {}

    private ModelComparison() {}

    public static void main(String[] args) throws IOException {
        // tiny networks on a shared CPU: one intra-op thread (must be set before the engine loads)
        System.setProperty(
                "ai.djl.pytorch.num_threads",
                System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty(
                "ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        System.setProperty("ai.djl.offline", "true");
        Settings settings = Settings.parse(args);
        long start = System.nanoTime();
        Marketplace marketplace =
                new Marketplace(MarketplaceConfig.defaults().withSeed(settings.seed()));
        Split split = marketplace.splits(settings.train(), settings.valid(), settings.test());
        double generationSeconds = (System.nanoTime() - start) / 1e9;
        log(
                String.format(
                        "generated %,d / %,d / %,d impressions (world seed %d) in %.1f s",
                        settings.train(),
                        settings.valid(),
                        settings.test(),
                        settings.seed(),
                        generationSeconds));
        List<ModelRun> outcomes = new ArrayList<>();
        for (Architecture architecture : settings.architectures()) {
            outcomes.add(run(architecture, settings, split));
        }
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        String markdown =
                ComparisonTable.markdown(
                        settings, split, outcomes, generationSeconds, totalSeconds);
        if (settings.out().getParent() != null) {
            Files.createDirectories(settings.out().getParent());
        }
        Files.writeString(settings.out(), markdown, StandardCharsets.UTF_8);
        log(String.format("wrote %s (%.1f s in total)", settings.out(), totalSeconds));
    }

    static ModelRun run(Architecture architecture, Settings settings, Split split)
            throws IOException {
        RankingTrainer trainer =
                RankingTrainer.builder()
                        .optEpochs(settings.epochs())
                        .optBatchSize(settings.batchSize())
                        .optSeed(settings.seed())
                        .optLogEvery(settings.quick() ? 10 : 100)
                        .optMaxSeconds(settings.maxMinutesPerModel() * 60)
                        .optValidateEvery(settings.validateEvery())
                        .optPatience(settings.validateEvery() > 0 ? 4 : 2)
                        .optProgress(ModelComparison::log)
                        .build();
        NetworkDimensions dims = NetworkDimensions.DEFAULT;
        try (Model model = Model.newInstance(architecture.key(), "PyTorch")) {
            model.setBlock(architecture.newBlock(split.train().spec(), dims));
            TrainingReport training =
                    trainer.fit(
                            architecture.key(),
                            model,
                            architecture.newLoss(),
                            architecture.newGradientPolicy(),
                            split.train(),
                            split.valid());
            MultiTaskBlock block = (MultiTaskBlock) model.getBlock();
            double variance =
                    OfflineScorer.logAmountResidualVariance(
                            block, model.getNDManager(), split.train());
            OfflineScorer.Scores scores =
                    OfflineScorer.score(block, model.getNDManager(), split.test(), null);
            float[] amount = new float[scores.logAmount().length];
            for (int i = 0; i < amount.length; i++) {
                amount[i] = (float) Math.exp(scores.logAmount()[i] + variance / 2);
            }
            OfflineReport report =
                    OfflineEvaluation.evaluate(
                            split.test(),
                            new Predictions(
                                    scores.pCtr(), scores.pCvr(), scores.pRelated(), amount));
            long parameters = RankingModel.parameterCount(block);
            ModelMetadata metadata =
                    new ModelMetadata(
                            architecture.key(),
                            architecture.key(),
                            1,
                            split.train().spec(),
                            dims,
                            settings.seed(),
                            split.train().size(),
                            variance,
                            parameters,
                            Instant.now().toString(),
                            numeric(report.toMap()));
            RankingModel scored = RankingModel.of(model, metadata); // closed with the model
            Path dir = ModelArtifact.save(settings.artifacts(), model, metadata);
            Candidates sample = Candidates.of(split.test(), Math.min(2_000, split.test().size()));
            RankingModel.Scores before = sample.score(scored);
            boolean identical;
            try (RankingModel loaded = RankingModel.load(dir)) {
                RankingModel.Scores after = sample.score(loaded);
                identical =
                        Arrays.equals(before.pCtr(), after.pCtr())
                                && Arrays.equals(before.pCvr(), after.pCvr())
                                && Arrays.equals(before.expectedValue(), after.expectedValue());
            }
            double inference = Candidates.of(split.test(), 1_000).millisPerCall(scored, 30);
            log(
                    String.format(
                            "[%s] test CTR AUC %.4f, reload identical %s, %.2f ms per 1,000 candidates",
                            architecture.key(),
                            report.classification().get("ctr").auc().value(),
                            identical,
                            inference));
            return new ModelRun(
                    architecture, training, report, parameters, inference, identical, dir);
        }
    }

    /** The report's map with every number as a double (counts included). */
    static Map<String, Map<String, Double>> numeric(Map<String, Object> map) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        map.forEach(
                (task, values) -> {
                    Map<String, Double> m = new LinkedHashMap<>();
                    ((Map<?, ?>) values)
                            .forEach((k, v) -> m.put((String) k, ((Number) v).doubleValue()));
                    out.put(task, m);
                });
        return out;
    }

    static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Encoded candidate rows copied out of a log, as the serving API takes them. */
    record Candidates(int[] categorical, float[] dense, int[] scenario, int[] conversionType) {

        static Candidates of(ImpressionLog log, int n) {
            int f = log.spec().categoricalCount();
            int d = log.spec().denseCount();
            return new Candidates(
                    Arrays.copyOf(log.categorical(), n * f),
                    Arrays.copyOf(log.dense(), n * d),
                    Arrays.copyOf(log.scenario(), n),
                    Arrays.copyOf(log.conversionType(), n));
        }

        RankingModel.Scores score(RankingModel model) {
            return model.predict(categorical, dense, scenario, conversionType);
        }

        /**
         * Median wall time of one {@code predict} call over {@code repeats} calls after a warm-up.
         */
        double millisPerCall(RankingModel model, int repeats) {
            for (int i = 0; i < 5; i++) {
                score(model);
            }
            double[] millis = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long t = System.nanoTime();
                score(model);
                millis[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(millis);
            return millis[repeats / 2];
        }
    }
}
