package io.splitrank.models;

import ai.djl.Model;
import io.splitrank.models.artifact.ModelArtifact;
import io.splitrank.models.artifact.ModelMetadata;
import io.splitrank.models.artifact.RankingModel;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.eval.Auc;
import io.splitrank.models.eval.Gauc;
import io.splitrank.models.eval.LogLoss;
import io.splitrank.models.eval.OfflineEvaluation;
import io.splitrank.models.eval.OfflineReport;
import io.splitrank.models.eval.Predictions;
import io.splitrank.models.eval.TestSets;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.nn.NetworkDimensions;
import io.splitrank.models.train.OfflineScorer;
import io.splitrank.models.train.RankingTrainer;
import io.splitrank.models.train.TrainingData;
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
 * The offline comparison of the four architectures: trains each model with several training seeds
 * on fresh impressions streamed from the marketplace (the same sample budget for every model),
 * evaluates every seed's model on that seed's held-out test sets next to the ground truth (the
 * ceiling), saves the first seed's artifacts, checks that a saved artifact predicts exactly what
 * the trained model did, and writes the comparison as Markdown ({@link ComparisonTable}).
 *
 * <pre>
 * ModelComparison [--quick] [--out FILE] [--artifacts DIR] [--seed N] [--seeds K]
 *                 [--samples N] [--chunk N] [--valid N] [--test N] [--min-conversions N]
 *                 [--batch N] [--lr X] [--weight-decay X] [--clip-norm X] [--validate-every STEPS]
 *                 [--models baseline,ektm,htlnet,aem2tl]
 * </pre>
 *
 * <p>{@code --quick} shrinks everything and writes to {@code target/quick-evaluation/} unless
 * {@code --out}/{@code --artifacts} say otherwise, so it never overwrites the committed results.
 */
public final class ModelComparison {

    /** Sizes and budgets of one run. */
    record Settings(
            long seed,
            int seeds,
            long samples,
            int chunk,
            int valid,
            int test,
            int minConversions,
            int batchSize,
            float learningRate,
            float weightDecay,
            double clipNorm,
            int validateEvery,
            Path out,
            Path artifacts,
            List<Architecture> architectures,
            boolean quick,
            String arguments) {

        static Settings parse(String[] args) {
            boolean quick = Arrays.asList(args).contains("--quick");
            long seed = MarketplaceConfig.DEFAULT_SEED;
            int seeds = quick ? 2 : 3;
            long samples = quick ? 20_000 : 2_000_000;
            int chunk = quick ? 10_000 : 250_000;
            int valid = quick ? 5_000 : 100_000;
            int test = quick ? 10_000 : 500_000;
            int minConversions = quick ? 20 : 1_000;
            int batch = 1024;
            float lr = 2e-3f;
            float weightDecay = 0f;
            double clipNorm = 5.0;
            int validateEvery = quick ? 0 : 500;
            Path out =
                    quick
                            ? Path.of("target/quick-evaluation/offline-evaluation.md")
                            : Path.of("docs/offline-evaluation.md");
            Path artifacts =
                    quick
                            ? Path.of("target/quick-evaluation/artifacts")
                            : Path.of("models-artifacts");
            List<Architecture> archs = List.of(Architecture.values());
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {}
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                    case "--samples" -> samples = Long.parseLong(args[++i]);
                    case "--chunk" -> chunk = Integer.parseInt(args[++i]);
                    case "--valid" -> valid = Integer.parseInt(args[++i]);
                    case "--test" -> test = Integer.parseInt(args[++i]);
                    case "--min-conversions" -> minConversions = Integer.parseInt(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--lr" -> lr = Float.parseFloat(args[++i]);
                    case "--weight-decay" -> weightDecay = Float.parseFloat(args[++i]);
                    case "--clip-norm" -> clipNorm = Double.parseDouble(args[++i]);
                    case "--validate-every" -> validateEvery = Integer.parseInt(args[++i]);
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
            if (seeds < 1 || samples < 1) {
                throw new IllegalArgumentException("need at least one seed and one sample");
            }
            return new Settings(
                    seed,
                    seeds,
                    samples,
                    chunk,
                    valid,
                    test,
                    minConversions,
                    batch,
                    lr,
                    weightDecay,
                    clipNorm,
                    validateEvery,
                    out,
                    artifacts,
                    archs,
                    quick,
                    String.join(" ", args));
        }

        /** The same settings with only the first {@code k} training seeds (a partial table). */
        Settings withSeeds(int k) {
            return new Settings(
                    seed,
                    k,
                    samples,
                    chunk,
                    valid,
                    test,
                    minConversions,
                    batchSize,
                    learningRate,
                    weightDecay,
                    clipNorm,
                    validateEvery,
                    out,
                    artifacts,
                    architectures,
                    quick,
                    arguments);
        }

        /** Initialisation seed of training seed {@code k}. */
        long trainingSeed(int k) {
            return seed + k;
        }
    }

    /** One seed's held-out data and the ground truth's metrics on it. */
    record SeedData(int k, TestSets tests, OfflineReport ceiling) {}

    /** One model trained with one seed. */
    record ModelRun(
            Architecture architecture,
            int k,
            TrainingReport training,
            OfflineReport report,
            long parameters,
            double inferenceMillisPer1000,
            Boolean reloadIdentical,
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
        Marketplace world = new Marketplace(MarketplaceConfig.defaults().withSeed(settings.seed()));
        ImpressionLog validation =
                world.generate(settings.valid(), Marketplace.splitSeed(settings.seed(), 2));
        List<SeedData> seeds = new ArrayList<>();
        for (int k = 0; k < settings.seeds(); k++) {
            TestSets tests =
                    TestSets.generate(
                            world,
                            settings.test(),
                            Marketplace.splitSeed(settings.seed(), 100 + k),
                            Marketplace.splitSeed(settings.seed(), 200 + k),
                            settings.minConversions());
            OfflineReport ceiling =
                    evaluate(
                            tests,
                            TestSets.truth(world, tests.impressions()),
                            TestSets.truth(world, tests.clicked()));
            seeds.add(new SeedData(k, tests, ceiling));
            log(
                    String.format(
                            "seed %d: test sets of %,d impressions and %,d clicked impressions (from %,d logged); ceiling CTR AUC %.4f",
                            k,
                            tests.impressions().size(),
                            tests.clicked().size(),
                            tests.loggedForClicked(),
                            ceiling.classification().get("ctr").auc().value()));
        }
        double generationSeconds = (System.nanoTime() - start) / 1e9;
        List<ModelRun> outcomes = new ArrayList<>();
        for (SeedData seed : seeds) {
            for (Architecture architecture : settings.architectures()) {
                outcomes.add(run(architecture, settings, world, validation, seed));
            }
            if (seed.k() < seeds.size() - 1) {
                // the seeds so far, to a side file under target/ (not committed): a run cut short
                // still leaves its results
                Path partial =
                        Path.of("target", "partial-evaluation")
                                .resolve(settings.out().getFileName().toString());
                write(
                        partial,
                        ComparisonTable.markdown(
                                settings.withSeeds(seed.k() + 1),
                                seeds.subList(0, seed.k() + 1),
                                outcomes,
                                generationSeconds,
                                (System.nanoTime() - start) / 1e9));
                log(String.format("wrote %s (seeds 0..%d)", partial, seed.k()));
            }
        }
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        String markdown =
                ComparisonTable.markdown(
                        settings, seeds, outcomes, generationSeconds, totalSeconds);
        write(settings.out(), markdown);
        log(String.format("wrote %s (%.1f s in total)", settings.out(), totalSeconds));
    }

    private static void write(Path file, String markdown) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, markdown, StandardCharsets.UTF_8);
    }

    /**
     * The metrics of one set of predictions: CTR (overall and per scenario) and CTCVR on the
     * impressions; CVR per type, related action and value on the clicked impressions.
     */
    static OfflineReport evaluate(
            TestSets tests, Predictions onImpressions, Predictions onClicked) {
        OfflineReport all = OfflineEvaluation.evaluate(tests.impressions(), onImpressions);
        OfflineReport clicked = OfflineEvaluation.evaluate(tests.clicked(), onClicked);
        Map<String, OfflineReport.ClassificationMetrics> tasks = new LinkedHashMap<>();
        ImpressionLog log = tests.impressions();
        tasks.put("ctr", all.classification().get("ctr"));
        List<String> scenarios = log.spec().scenarios();
        for (int s = 0; s < scenarios.size(); s++) {
            int[] rows = rowsOfScenario(log, s);
            ImpressionLog sub = TestSets.rows(log, rows);
            float[] p = new float[rows.length];
            for (int k = 0; k < rows.length; k++) {
                p[k] = onImpressions.pClick()[rows[k]];
            }
            tasks.put(
                    "ctr@" + scenarios.get(s),
                    new OfflineReport.ClassificationMetrics(
                            Auc.of(sub.click(), p),
                            LogLoss.of(sub.click(), p),
                            Gauc.of(sub.click(), p, sub.userId())));
        }
        clicked.classification()
                .forEach(
                        (task, m) -> {
                            if (task.startsWith("cvr:")) {
                                tasks.put(task, m);
                            }
                        });
        all.classification()
                .forEach(
                        (task, m) -> {
                            if (task.startsWith("ctcvr:")) {
                                tasks.put(task, m);
                            }
                        });
        if (clicked.classification().containsKey("related")) {
            tasks.put("related", clicked.classification().get("related"));
        }
        return new OfflineReport(tasks, clicked.value());
    }

    private static int[] rowsOfScenario(ImpressionLog log, int scenario) {
        return java.util.stream.IntStream.range(0, log.size())
                .filter(i -> log.scenario()[i] == scenario)
                .toArray();
    }

    static ModelRun run(
            Architecture architecture,
            Settings settings,
            Marketplace world,
            ImpressionLog validation,
            SeedData seed)
            throws IOException {
        int k = seed.k();
        String name = architecture.key() + "#" + k;
        RankingTrainer trainer =
                RankingTrainer.builder()
                        .optBatchSize(settings.batchSize())
                        .optLearningRate(settings.learningRate())
                        .optWeightDecay(settings.weightDecay())
                        .optClipNorm(settings.clipNorm())
                        .optSeed(settings.trainingSeed(k))
                        .optLogEvery(settings.quick() ? 10 : 250)
                        .optValidateEvery(settings.validateEvery())
                        .optKeepBest(false)
                        .optProgress(ModelComparison::log)
                        .build();
        long streamSeed = Marketplace.splitSeed(settings.seed(), 1000 + k);
        TrainingData stream =
                TrainingData.stream(
                        c ->
                                world.generate(
                                        settings.chunk(),
                                        Marketplace.splitSeed(streamSeed, (int) c)));
        NetworkDimensions dims = NetworkDimensions.DEFAULT;
        try (Model model = Model.newInstance(architecture.key(), "PyTorch")) {
            model.setBlock(architecture.newBlock(world.featureSpec(), dims));
            TrainingReport training =
                    trainer.fit(
                            name,
                            model,
                            architecture.newLoss(),
                            architecture.newGradientPolicy(),
                            stream,
                            settings.samples(),
                            validation);
            MultiTaskBlock block = (MultiTaskBlock) model.getBlock();
            // the residual variance of the log amount, on fresh impressions of the training stream
            ImpressionLog varianceLog =
                    world.generate(
                            Math.max(settings.chunk(), 200_000),
                            Marketplace.splitSeed(streamSeed, -1));
            double variance =
                    OfflineScorer.logAmountResidualVariance(
                            block, model.getNDManager(), varianceLog);
            OfflineReport report =
                    evaluate(
                            seed.tests(),
                            predictions(block, model, seed.tests().impressions(), variance),
                            predictions(block, model, seed.tests().clicked(), variance));
            long parameters = RankingModel.parameterCount(block);
            log(
                    String.format(
                            "[%s] test CTR AUC %.4f (ceiling %.4f), cvr:purchase AUC %.4f",
                            name,
                            report.classification().get("ctr").auc().value(),
                            seed.ceiling().classification().get("ctr").auc().value(),
                            report.classification().get("cvr:purchase").auc().value()));
            if (k != 0) {
                return new ModelRun(architecture, k, training, report, parameters, 0, null, null);
            }
            ModelMetadata metadata =
                    new ModelMetadata(
                            architecture.key(),
                            architecture.key(),
                            1,
                            world.featureSpec(),
                            dims,
                            settings.seed(),
                            (int) Math.min(Integer.MAX_VALUE, training.samples()),
                            variance,
                            parameters,
                            Instant.now().toString(),
                            numeric(report.toMap()));
            RankingModel scored = RankingModel.of(model, metadata); // closed with the model
            Path dir = ModelArtifact.save(settings.artifacts(), model, metadata);
            ImpressionLog test = seed.tests().impressions();
            Candidates sample = Candidates.of(test, Math.min(2_000, test.size()));
            RankingModel.Scores before = sample.score(scored);
            boolean identical;
            try (RankingModel loaded = RankingModel.load(dir)) {
                RankingModel.Scores after = sample.score(loaded);
                identical =
                        Arrays.equals(before.pCtr(), after.pCtr())
                                && Arrays.equals(before.pCvr(), after.pCvr())
                                && Arrays.equals(before.expectedValue(), after.expectedValue());
            }
            double inference =
                    Candidates.of(test, Math.min(1_000, test.size())).millisPerCall(scored, 30);
            log(
                    String.format(
                            "[%s] artifact %s, reload identical %s, %.2f ms per 1,000 candidates",
                            name, dir, identical, inference));
            return new ModelRun(
                    architecture, k, training, report, parameters, inference, identical, dir);
        }
    }

    private static Predictions predictions(
            MultiTaskBlock block, Model model, ImpressionLog log, double variance) {
        OfflineScorer.Scores scores = OfflineScorer.score(block, model.getNDManager(), log, null);
        float[] amount = new float[scores.logAmount().length];
        for (int i = 0; i < amount.length; i++) {
            amount[i] = (float) Math.exp(scores.logAmount()[i] + variance / 2);
        }
        return new Predictions(scores.pCtr(), scores.pCvr(), scores.pRelated(), amount);
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
