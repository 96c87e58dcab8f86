package io.splitrank.app.report;

import io.splitrank.app.aggregate.AggregateQuery;
import io.splitrank.app.aggregate.ArmStatistics;
import io.splitrank.app.aggregate.ArmUnits;
import io.splitrank.app.aggregate.CupedSums;
import io.splitrank.app.aggregate.DailyAggregates;
import io.splitrank.app.aggregate.ExperimentAggregates;
import io.splitrank.app.aggregate.MeanSums;
import io.splitrank.app.aggregate.MetricAggregates;
import io.splitrank.app.aggregate.MetricKind;
import io.splitrank.app.aggregate.MetricStatistics;
import io.splitrank.app.aggregate.ProportionSums;
import io.splitrank.app.aggregate.RatioSums;
import io.splitrank.app.aggregate.SufficientStatistics;
import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.app.report.ExperimentReport.TimeseriesPoint;
import io.splitrank.stats.AnalysisResult;
import io.splitrank.stats.ArmInput;
import io.splitrank.stats.ArmResult;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.Correction;
import io.splitrank.stats.Covariate;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.InvalidStatisticsException;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricStatistic;
import io.splitrank.stats.MetricType;
import io.splitrank.stats.MultipleComparisons;
import io.splitrank.stats.ProportionStatistic;
import io.splitrank.stats.RatioCovariate;
import io.splitrank.stats.RatioStatistic;
import io.splitrank.stats.SampleRatioMismatch;
import io.splitrank.stats.SrmResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Builds the live report of an experiment phase from the aggregates' sufficient statistics and the
 * stats module, with the experiment's analysis options: alpha, difference type, sequential tuning,
 * correction (one family across every treatment × non-guardrail metric), capping and CUPED.
 * Reads only the per-unit aggregates, never the event log.
 */
@Service
class ExperimentReports {

    private static final Logger log = LoggerFactory.getLogger(ExperimentReports.class);

    private final ExperimentSettingsReader settingsReader;
    private final MetricAggregates aggregates;
    private final Clock clock;
    private final Duration timeseriesRefresh;
    private final Map<SeriesKey, CachedSeries> seriesCache = new ConcurrentHashMap<>();
    private final Map<SeriesKey, CompletableFuture<CachedSeries>> inflight = new ConcurrentHashMap<>();
    private final Map<ReportKey, CachedReport> reportCache = new ConcurrentHashMap<>();
    private final Map<ReportKey, CompletableFuture<Void>> reportsInFlight = new ConcurrentHashMap<>();
    private final ExecutorService reportRefresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "report-refresh");
        t.setDaemon(true);
        return t;
    });
    private final Duration slowReport;
    private final Duration refreshAfter;
    private final Duration timeseriesWait;
    private final ExecutorService seriesRefresher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "report-series");
        t.setDaemon(true);
        return t;
    });

    ExperimentReports(ExperimentSettingsReader settingsReader, MetricAggregates aggregates, Clock clock,
            @Value("${splitrank.reports.timeseries-refresh:5m}") Duration timeseriesRefresh,
            @Value("${splitrank.reports.timeseries-wait:500ms}") Duration timeseriesWait,
            @Value("${splitrank.reports.slow-report:1s}") Duration slowReport,
            @Value("${splitrank.reports.refresh-after:1s}") Duration refreshAfter) {
        this.slowReport = slowReport;
        this.refreshAfter = refreshAfter;
        this.timeseriesWait = timeseriesWait;
        this.settingsReader = settingsReader;
        this.aggregates = aggregates;
        this.clock = clock;
        this.timeseriesRefresh = timeseriesRefresh;
    }

    /**
     * The live report of a phase (null: the current one), all scenarios or one; 404 problem when unknown.
     * A report that took longer than {@code splitrank.reports.slow-report} to compute last time (a
     * million units and more) is answered from its last computation, and recomputed on a background
     * thread when older than {@code splitrank.reports.refresh-after}, one computation per report at a
     * time; its {@code updatedAt} says how fresh it is. Smaller reports are always computed afresh.
     */
    ExperimentReport report(String key, String scenario, Integer phase) {
        ExperimentSettings settings = settingsReader.read(key, phase);
        ReportKey cacheKey = new ReportKey(settings, blankToNull(scenario));
        CachedReport cached = reportCache.get(cacheKey);
        if (cached == null || cached.computeNanos() < slowReport.toNanos()) {
            return computeAndCache(cacheKey);
        }
        if (cached.at().plus(refreshAfter).isBefore(clock.instant())) {
            once(reportsInFlight, cacheKey, () -> CompletableFuture.runAsync(() -> computeAndCache(cacheKey),
                    reportRefresher), failure -> log.warn("background report of {} failed; serving the previous one",
                            cacheKey.settings().key(), failure));
        }
        return cached.report();
    }

    private ExperimentReport computeAndCache(ReportKey key) {
        long start = System.nanoTime();
        ExperimentReport report = report(key.settings(), key.scenario());
        long took = System.nanoTime() - start;
        Instant now = clock.instant();
        if (took >= slowReport.toNanos()) {
            reportCache.put(key, new CachedReport(report, now, took));
            log.debug("report of {} took {} ms: served from cache from now on", key.settings().key(), took / 1_000_000);
        } else {
            reportCache.remove(key);
        }
        reportCache.values().removeIf(c -> c.at().isBefore(now.minus(timeseriesRefresh)));
        return report;
    }

    ExperimentReport report(ExperimentSettings settings, String scenario) {
        ExperimentSettings.Options options = settings.options();
        boolean cuped = options.cupedDays() > 0;
        AggregateQuery query = new AggregateQuery(settings.id(), settings.phase(), blankToNull(scenario),
                options.capPercentile(), cuped);
        ExperimentAggregates live = aggregates.forExperiment(query);
        long[] units = units(settings, live.arms());
        SrmResult srm = SampleRatioMismatch.test(units, weights(settings));

        List<ExperimentReport.ArmUnits> arms = new ArrayList<>();
        for (int i = 0; i < settings.arms().size(); i++) {
            ExperimentSettings.Arm arm = settings.arms().get(i);
            arms.add(new ExperimentReport.ArmUnits(arm.key(), arm.model(), units[i]));
        }

        Map<String, MetricStatistics> byId = new LinkedHashMap<>();
        live.metrics().forEach(m -> byId.put(m.metric(), m));
        for (String id : settings.decisionMetrics()) {
            byId.computeIfAbsent(id, ExperimentReports::noEvents);
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        List<AnalysisResult> family = new ArrayList<>();
        Map<String, AnalysisResult> results = new HashMap<>();
        for (String id : ids) {
            boolean guardrail = settings.isGuardrail(id);
            AnalysisResult r = analyze(settings, byId.get(id), units, cuped, guardrail ? Correction.NONE : null);
            results.put(id, r);
            if (!guardrail) {
                family.add(r);
            }
        }
        List<AnalysisResult> corrected = MultipleComparisons.adjustAcross(correction(options.correction()), family);
        int next = 0;
        for (String id : ids) {
            if (!settings.isGuardrail(id)) {
                results.put(id, corrected.get(next++));
            }
        }
        List<MetricReport> metrics = new ArrayList<>();
        for (String id : ids) {
            metrics.add(metricReport(settings, byId.get(id), units, results.get(id)));
        }
        ReportDecision decision = ReportDecision.decide(settings, srm, metrics);
        Instant updatedAt = live.processedAt() == null ? clock.instant() : live.processedAt();
        return new ExperimentReport(settings.key(), settings.phase(), settings.status(), blankToNull(scenario),
                updatedAt, srm, arms, metrics, decision, timeseries(settings, query, live));
    }

    private static long[] units(ExperimentSettings settings, List<ArmUnits> exposed) {
        long[] units = new long[settings.arms().size()];
        for (ArmUnits a : exposed) {
            if (a.armIndex() >= 0 && a.armIndex() < units.length) {
                units[a.armIndex()] = a.units();
            }
        }
        return units;
    }

    private static double[] weights(ExperimentSettings settings) {
        return settings.arms().stream().mapToDouble(ExperimentSettings.Arm::weight).toArray();
    }

    /** A decision metric no event has produced yet (a conversion type nobody converted on). */
    private static MetricStatistics noEvents(String id) {
        boolean proportion = id.startsWith("conversion_rate");
        boolean mean = id.equals("value_per_unit") || id.equals("impressions_per_unit");
        return new MetricStatistics(id, proportion ? MetricKind.PROPORTION : mean ? MetricKind.MEAN : MetricKind.RATIO,
                id.equals("ecpm") ? 1000 : 1, false, List.of());
    }

    private AnalysisResult analyze(ExperimentSettings settings, MetricStatistics metric, long[] units, boolean cuped,
            Correction correction) {
        ExperimentSettings.Options o = settings.options();
        boolean adjust = cuped && metric.kind() != MetricKind.PROPORTION;
        List<ArmInput> inputs = new ArrayList<>();
        for (int i = 0; i < settings.arms().size(); i++) {
            ExperimentSettings.Arm arm = settings.arms().get(i);
            SufficientStatistics s = armStatistics(metric, i);
            inputs.add(new ArmInput(arm.key(), arm.weight(), statistic(metric, s, units[i], adjust)));
        }
        ExperimentAnalysis analysis = ExperimentAnalysis.withDefaults().withAlpha(o.alpha())
                .withDifferenceType(o.differenceType().equals("absolute") ? DifferenceType.ABSOLUTE : DifferenceType.RELATIVE)
                .withSequentialTuning(o.sequentialTuning())
                .withCorrection(correction == null ? correction(o.correction()) : correction)
                .withRegressionAdjustment(adjust);
        try {
            return analysis.analyze(switch (metric.kind()) {
                case PROPORTION -> MetricType.PROPORTION;
                case MEAN -> MetricType.MEAN;
                case RATIO -> MetricType.RATIO;
            }, inputs);
        } catch (InvalidStatisticsException e) {
            // rounding in large sums can make a sum of squares a hair too small; say so instead of failing
            List<ArmResult> failed = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                failed.add(new ArmResult(inputs.get(i).key(), units[i], null, null,
                        i == 0 ? null : Comparison.failed("statistics rejected: " + e.getMessage())));
            }
            return new AnalysisResult(failed, null);
        }
    }

    private static SufficientStatistics armStatistics(MetricStatistics metric, int armIndex) {
        for (ArmStatistics a : metric.arms()) {
            if (a.armIndex() == armIndex) {
                return a.statistics();
            }
        }
        return null;
    }

    /** The stats module's input for an arm; an arm without statistics has its units and zero sums. */
    private static MetricStatistic statistic(MetricStatistics metric, SufficientStatistics s, long units, boolean adjust) {
        CupedSums c = s == null ? null : s.cuped();
        if (adjust && c == null) {
            c = new CupedSums(0, 0, 0, 0);
        }
        return switch (metric.kind()) {
            case PROPORTION -> s instanceof ProportionSums p ? new ProportionStatistic(p.n(), p.sum())
                    : new ProportionStatistic(units, 0);
            case MEAN -> {
                MeanSums m = s instanceof MeanSums x ? x : new MeanSums(units, 0, 0, null);
                yield new MeanStatistic(m.n(), m.sum(), m.sumSquares(),
                        adjust ? new Covariate(c.xSum(), c.xSumSquares(), c.xySumProducts()) : null);
            }
            case RATIO -> {
                RatioSums r = s instanceof RatioSums x ? x : new RatioSums(units, 0, 0, 0, 0, 0, null);
                RatioStatistic stat = new RatioStatistic(r.n(), r.mSum(), r.mSumSquares(), r.dSum(), r.dSumSquares(),
                        r.mdSumProducts(), adjust ? new RatioCovariate(c.xSum(), c.xSumSquares(), c.xySumProducts(),
                                c.xdSumProducts()) : null);
                yield metric.scale() == 1 ? stat : stat.scaledNumerator(metric.scale());
            }
        };
    }

    private static MetricReport metricReport(ExperimentSettings settings, MetricStatistics metric, long[] units,
            AnalysisResult result) {
        List<ArmMetric> arms = new ArrayList<>();
        for (int i = 0; i < settings.arms().size(); i++) {
            SufficientStatistics s = armStatistics(metric, i);
            double numerator = 0;
            double denominator = units[i];
            long n = s == null ? units[i] : s.n();
            if (s instanceof RatioSums r) {
                numerator = r.mSum();
                denominator = r.dSum();
            } else if (s instanceof MeanSums m) {
                numerator = m.sum();
            } else if (s instanceof ProportionSums p) {
                numerator = p.sum();
            } else if (metric.kind() == MetricKind.RATIO) {
                denominator = 0;
            }
            Double value = denominator > 0 ? metric.scale() * numerator / denominator : null;
            Comparison comparison = i == 0 ? null : result.arms().get(i).comparison();
            arms.add(new ArmMetric(settings.arms().get(i).key(), n, numerator, denominator, value, comparison));
        }
        return new MetricReport(metric.metric(), arms);
    }

    /**
     * The daily cumulative series of the decision metrics. Past days come from a cache computed on a
     * background thread and refreshed once older than {@code splitrank.reports.timeseries-refresh}: they
     * hardly change, and the per-day query costs unit-days × days (a minute for a million units), so a
     * request waits for it at most {@code splitrank.reports.timeseries-wait}, on the first report of a
     * day, and otherwise answers without the past days until they are ready; today's point of a running experiment comes from the live aggregates, so the
     * last point always agrees with the report's own comparison (without CUPED).
     */
    private List<TimeseriesPoint> timeseries(ExperimentSettings settings, AggregateQuery query, ExperimentAggregates live) {
        AggregateQuery daily = query.withCuped(false);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        SeriesKey cacheKey = new SeriesKey(daily, settings.status());
        CachedSeries cached = seriesCache.get(cacheKey);
        boolean fromToday = cached != null && cached.day().equals(today);
        if (!fromToday || cached.at().plus(timeseriesRefresh).isBefore(now)) {
            Flight<CachedSeries> flight = once(inflight, cacheKey, () -> CompletableFuture.supplyAsync(
                    () -> refreshSeries(cacheKey, today, clock.instant()), seriesRefresher),
                    failure -> log.warn("daily series of {} failed; retrying at the next report", cacheKey, failure));
            CompletableFuture<CachedSeries> refresh = flight.future();
            if (!fromToday && flight.started()) {
                // a new day (or the first report): the request that starts the series waits a little for it,
                // never longer than the budget, and otherwise answers with what the cache had; later requests
                // do not wait for a series already being computed (the stream pushes it when it is done)
                try {
                    cached = refresh.get(timeseriesWait.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // keep the previous series, if any
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (cached == null) {
            cached = new CachedSeries(today, now, List.of());
        }
        // only the current phase of a running experiment is still moving: its today comes from the live numbers
        boolean running = settings.status().equals("running") && settings.phase() == settings.currentPhase();
        List<TimeseriesPoint> points = new ArrayList<>();
        for (DailyAggregates day : cached.days()) {
            if (day.day().isBefore(today) || (!running && !day.day().isAfter(today))) {
                addPoints(points, settings, day.day(), units(settings, day.arms()), day.metrics());
            }
        }
        if (running && !live.arms().isEmpty()) {
            addPoints(points, settings, today, units(settings, live.arms()), live.metrics());
        }
        return points;
    }

    private CachedSeries refreshSeries(SeriesKey cacheKey, LocalDate today, Instant now) {
        long start = System.nanoTime();
        CachedSeries fresh = new CachedSeries(today, now, aggregates.dailyCumulative(cacheKey.query()));
        log.info("daily series of experiment {} phase {} ({} days) took {} ms", cacheKey.query().experimentId(),
                cacheKey.query().phase(), fresh.days().size(), (System.nanoTime() - start) / 1_000_000);
        Instant stale = now.minus(timeseriesRefresh.multipliedBy(3));
        seriesCache.values().removeIf(c -> c.at().isBefore(stale));
        seriesCache.put(cacheKey, fresh);
        return fresh;
    }

    private void addPoints(List<TimeseriesPoint> points, ExperimentSettings settings, LocalDate day, long[] units,
            List<MetricStatistics> metrics) {
        for (String id : settings.decisionMetrics()) {
            MetricStatistics m = metrics.stream().filter(x -> x.metric().equals(id)).findFirst().orElse(null);
            if (m == null) {
                continue;
            }
            AnalysisResult r = analyze(settings, m, units, false, Correction.NONE);
            for (int i = 1; i < r.arms().size(); i++) {
                Comparison c = r.arms().get(i).comparison();
                if (c != null && c.computed()) {
                    points.add(new TimeseriesPoint(day, id, r.arms().get(i).key(), c.estimate(), c.sequential().ci()));
                }
            }
        }
    }

    /** A background computation, and whether this call started it (rather than joining one under way). */
    private record Flight<V>(CompletableFuture<V> future, boolean started) {
    }

    /**
     * Starts the computation of {@code key} unless one is under way, and forgets it once done. The
     * cleanup is attached outside computeIfAbsent: a computation that finished at once would otherwise
     * remove its entry from inside the map's own update.
     */
    private static <K, V> Flight<V> once(Map<K, CompletableFuture<V>> inFlight, K key,
            Supplier<CompletableFuture<V>> start, Consumer<Throwable> failed) {
        boolean[] started = new boolean[1];
        CompletableFuture<V> future = inFlight.computeIfAbsent(key, k -> {
            started[0] = true;
            return start.get();
        });
        if (started[0]) {
            future.whenComplete((result, failure) -> {
                inFlight.remove(key, future);
                if (failure != null) {
                    failed.accept(failure);
                }
            });
        }
        return new Flight<>(future, started[0]);
    }

    static Correction correction(String id) {
        return switch (id) {
            case "benjamini-hochberg", "bh" -> Correction.BENJAMINI_HOCHBERG;
            case "none" -> Correction.NONE;
            default -> Correction.HOLM;
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private record ReportKey(ExperimentSettings settings, String scenario) {
    }

    private record CachedReport(ExperimentReport report, Instant at, long computeNanos) {
    }

    private record SeriesKey(AggregateQuery query, String status) {
    }

    private record CachedSeries(LocalDate day, Instant at, List<DailyAggregates> days) {
    }
}
