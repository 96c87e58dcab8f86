package io.splitrank.app.report;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.splitrank.app.aggregate.AggregateQuery;
import io.splitrank.app.aggregate.ArmExposures;
import io.splitrank.app.aggregate.ArmStatistics;
import io.splitrank.app.aggregate.DailyAggregates;
import io.splitrank.app.aggregate.ExperimentAggregates;
import io.splitrank.app.aggregate.InterleavingCredits;
import io.splitrank.app.aggregate.MetricAggregates;
import io.splitrank.app.aggregate.MetricByArm;
import io.splitrank.app.experiment.AnalysisOptions;
import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.app.report.ExperimentReport.TimeseriesPoint;
import io.splitrank.stats.AnalysisResult;
import io.splitrank.stats.ArmInput;
import io.splitrank.stats.ArmResult;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.Correction;
import io.splitrank.stats.Covariate;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Builds the live report of an experiment phase from the aggregates' sufficient statistics and the
 * stats module, with the experiment's analysis options: alpha, difference type, sequential tuning,
 * correction (one family across every treatment × non-guardrail metric), capping and CUPED. Reads
 * only the per-unit aggregates, never the event log.
 */
@Service
class ReportService {

    private static final Logger log = LoggerFactory.getLogger(ReportService.class);

    private final ExperimentReadModel settingsReader;
    private final MetricAggregates aggregates;
    private final InterleavingCredits interleavingCredits;
    private final Clock clock;
    private final Duration slowReport;
    private final Duration timeseriesWait;

    /**
     * The slow reports (slower to compute than slow-report), each served from its last computation:
     * recomputed on the report-refresh thread when a request finds it older than refresh-after, one
     * computation per report at a time, and dropped once it computes fast again or was last
     * computed longer than timeseries-refresh ago.
     */
    private final LoadingCache<ReportKey, ExperimentReport> slowReports;

    /**
     * The daily series by query, status and day, computed on the report-series thread: started by
     * the first report of the day, recomputed in the background when a report finds it older than
     * timeseries-refresh (one computation per series at a time), dropped when not computed for
     * three times as long. A failed computation is dropped too, so the next report tries again.
     */
    private final AsyncLoadingCache<SeriesKey, List<DailyAggregates>> dailySeries;

    ReportService(
            ExperimentReadModel settingsReader,
            MetricAggregates aggregates,
            InterleavingCredits interleavingCredits,
            Clock clock,
            ReportProperties properties,
            @Qualifier(ReportConfiguration.REFRESH_EXECUTOR) Executor reportRefresher,
            @Qualifier(ReportConfiguration.SERIES_EXECUTOR) Executor seriesRefresher) {
        this.slowReport = properties.slowReport();
        this.timeseriesWait = properties.timeseriesWait();
        this.settingsReader = settingsReader;
        this.aggregates = aggregates;
        this.interleavingCredits = interleavingCredits;
        this.clock = clock;
        Duration timeseriesRefresh = properties.timeseriesRefresh();
        this.slowReports =
                Caffeine.newBuilder()
                        .executor(reportRefresher)
                        .refreshAfterWrite(positive(properties.refreshAfter()))
                        .expireAfterWrite(timeseriesRefresh)
                        .build(this::recompute);
        this.dailySeries =
                Caffeine.newBuilder()
                        .executor(seriesRefresher)
                        .refreshAfterWrite(positive(timeseriesRefresh))
                        .expireAfterWrite(timeseriesRefresh.multipliedBy(3))
                        .buildAsync(this::computeSeries);
    }

    /** Caffeine refreshes after a positive time only; 0 (at every request) is the same as 1 ns. */
    private static Duration positive(Duration refreshAfter) {
        return refreshAfter.isZero() ? Duration.ofNanos(1) : refreshAfter;
    }

    /**
     * The live report of a phase (null: the current one), all scenarios or one; 404 problem when
     * unknown. A report that took longer than {@code splitrank.reports.slow-report} to compute last
     * time (a million units and more) is answered from its last computation, and recomputed on a
     * background thread when older than {@code splitrank.reports.refresh-after}, one computation
     * per report at a time; its {@code updatedAt} says how fresh it is. Smaller reports are always
     * computed afresh.
     */
    ExperimentReport report(String key, String scenario, Integer phase) {
        ExperimentSettings settings = settingsReader.settings(key, phase);
        ReportKey cacheKey = new ReportKey(settings, blankToNull(scenario));
        ExperimentReport cached = slowReports.getIfPresent(cacheKey);
        if (cached != null) {
            return cached;
        }
        ComputedReport computed = compute(cacheKey);
        if (computed.slow()) {
            slowReports.put(cacheKey, computed.report());
        }
        return computed.report();
    }

    /** The summary of every started, non-archived experiment's current report. */
    List<ReportSummary> summaries() {
        List<ReportSummary> result = new ArrayList<>();
        for (String key : settingsReader.reportableKeys()) {
            try {
                result.add(ReportSummary.of(report(key, null, null)));
            } catch (RuntimeException e) {
                log.warn("summary of experiment {} failed: {}", key, e.toString());
                result.add(
                        new ReportSummary(
                                key, 0, null, null, null, null, List.of(), e.getMessage()));
            }
        }
        return result;
    }

    /**
     * A slow report's recomputation in the background: the new report, or null (not cached) once it
     * is fast.
     */
    private ExperimentReport recompute(ReportKey key) {
        try {
            ComputedReport computed = compute(key);
            return computed.slow() ? computed.report() : null;
        } catch (RuntimeException e) {
            log.warn(
                    "background report of {} failed; serving the previous one: {}",
                    key.settings().key(),
                    e.toString());
            throw e;
        }
    }

    private ComputedReport compute(ReportKey key) {
        long start = System.nanoTime();
        ExperimentReport report = report(key.settings(), key.scenario());
        long took = System.nanoTime() - start;
        boolean slow = took >= slowReport.toNanos();
        if (slow) {
            log.debug(
                    "report of {} took {} ms: served from cache from now on",
                    key.settings().key(),
                    took / 1_000_000);
        }
        return new ComputedReport(report, slow);
    }

    ExperimentReport report(ExperimentSettings settings, String scenario) {
        return report(settings, scenario, true);
    }

    /**
     * The current phase's report without the daily series, for the decision watcher: it needs the
     * decision only, and must not start the day's series before the phase has data.
     */
    ExperimentReport decisionReport(ExperimentSettings settings) {
        return report(settings, null, false);
    }

    private ExperimentReport report(
            ExperimentSettings settings, String scenario, boolean withTimeseries) {
        if (settings.interleaving()) {
            return interleavingReport(settings);
        }
        AnalysisOptions options = settings.options();
        List<String> scenarios = aggregates.scenarios(settings.id(), settings.phase());
        if (blankToNull(scenario) != null && !scenarios.contains(scenario)) {
            throw ApiProblemException.notFound(
                    "experiment "
                            + settings.key()
                            + " phase "
                            + settings.phase()
                            + " has no events of scenario "
                            + scenario
                            + (scenarios.isEmpty()
                                    ? " (no scenario yet)"
                                    : " (its scenarios: " + String.join(", ", scenarios) + ")"),
                    new FieldProblem("scenario", "unknown scenario " + scenario));
        }
        boolean cuped = options.cupedDays() > 0;
        AggregateQuery query =
                new AggregateQuery(
                        settings.id(),
                        settings.phase(),
                        blankToNull(scenario),
                        options.capPercentile(),
                        cuped);
        ExperimentAggregates live = aggregates.forExperiment(query);
        long[] units = units(settings, live.arms());
        SrmResult srm = SampleRatioMismatch.test(units, weights(settings));

        List<ExperimentReport.ArmUnits> arms = new ArrayList<>();
        for (int i = 0; i < settings.arms().size(); i++) {
            ExperimentSettings.Arm arm = settings.arms().get(i);
            arms.add(new ExperimentReport.ArmUnits(arm.key(), arm.model(), units[i]));
        }

        Map<String, MetricByArm> byId = new LinkedHashMap<>();
        live.metrics().forEach(m -> byId.put(m.metric(), m));
        for (String id : settings.decisionMetrics()) {
            byId.computeIfAbsent(id, live::metricOrEmpty);
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        List<AnalysisResult> family = new ArrayList<>();
        Map<String, AnalysisResult> results = new HashMap<>();
        for (String id : ids) {
            boolean guardrail = settings.isGuardrail(id);
            AnalysisResult r =
                    analyze(
                            settings,
                            byId.get(id),
                            units,
                            cuped,
                            guardrail ? Correction.NONE : null);
            results.put(id, r);
            if (!guardrail) {
                family.add(r);
            }
        }
        List<AnalysisResult> corrected =
                MultipleComparisons.adjustAcross(options.correction(), family);
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
        long exposed = 0;
        for (long u : units) {
            exposed += u;
        }
        ReportDecision decision = ReportDecision.decide(settings, srm, metrics, exposed);
        Instant updatedAt = live.processedAt() == null ? clock.instant() : live.processedAt();
        return new ExperimentReport(
                settings.key(),
                settings.phase(),
                settings.status(),
                blankToNull(scenario),
                scenarios,
                updatedAt,
                srm,
                arms,
                metrics,
                decision,
                withTimeseries ? timeseries(settings, query, live) : List.of(),
                null);
    }

    /**
     * An interleaving experiment's report: every unit saw every arm, so there is no split to check
     * and no per-arm metric; the credits and preferences say which ranker the units prefer.
     */
    private ExperimentReport interleavingReport(ExperimentSettings settings) {
        InterleavingCredits.Credits credits =
                interleavingCredits.credits(
                        settings.id(), settings.phase(), settings.arms().size());
        InterleavingReport section = InterleavingReport.of(settings, credits);
        List<ExperimentReport.ArmUnits> arms = new ArrayList<>();
        for (ExperimentSettings.Arm arm : settings.arms()) {
            arms.add(new ExperimentReport.ArmUnits(arm.key(), arm.model(), credits.units()));
        }
        return new ExperimentReport(
                settings.key(),
                settings.phase(),
                settings.status(),
                null,
                List.of(),
                clock.instant(),
                null,
                arms,
                List.of(),
                ReportDecision.interleaving(section, settings),
                List.of(),
                section);
    }

    private static long[] units(ExperimentSettings settings, List<ArmExposures> exposed) {
        long[] units = new long[settings.arms().size()];
        for (ArmExposures a : exposed) {
            if (a.armIndex() >= 0 && a.armIndex() < units.length) {
                units[a.armIndex()] = a.units();
            }
        }
        return units;
    }

    private static double[] weights(ExperimentSettings settings) {
        return settings.arms().stream().mapToDouble(ExperimentSettings.Arm::weight).toArray();
    }

    private AnalysisResult analyze(
            ExperimentSettings settings,
            MetricByArm metric,
            long[] units,
            boolean cuped,
            Correction correction) {
        AnalysisOptions o = settings.options();
        boolean adjust = cuped && metric.type() != MetricType.PROPORTION;
        List<ArmInput> inputs = new ArrayList<>();
        for (int i = 0; i < settings.arms().size(); i++) {
            ExperimentSettings.Arm arm = settings.arms().get(i);
            inputs.add(
                    new ArmInput(
                            arm.key(),
                            arm.weight(),
                            statistic(metric, armStatistics(metric, i), units[i], adjust)));
        }
        ExperimentAnalysis analysis =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(o.alpha())
                        .withDifferenceType(o.differenceType())
                        .withSequentialTuning(o.sequentialTuning())
                        .withCorrection(correction == null ? o.correction() : correction)
                        .withRegressionAdjustment(adjust);
        try {
            return analysis.analyze(metric.type(), inputs);
        } catch (InvalidStatisticsException e) {
            // rounding in large sums can make a sum of squares a hair too small; say so instead of
            // failing
            List<ArmResult> failed = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                failed.add(
                        new ArmResult(
                                inputs.get(i).key(),
                                units[i],
                                null,
                                null,
                                i == 0
                                        ? null
                                        : Comparison.failed(
                                                "statistics rejected: " + e.getMessage())));
            }
            return new AnalysisResult(failed, null);
        }
    }

    private static MetricStatistic armStatistics(MetricByArm metric, int armIndex) {
        for (ArmStatistics a : metric.arms()) {
            if (a.armIndex() == armIndex) {
                return a.statistics();
            }
        }
        return null;
    }

    /**
     * The stats module's input for an arm as the aggregates give it, scaled to the displayed unit;
     * an arm without statistics has its units and zero sums (and a zero covariate when adjusting).
     */
    private static MetricStatistic statistic(
            MetricByArm metric, MetricStatistic s, long units, boolean adjust) {
        return switch (metric.type()) {
            case PROPORTION -> s != null ? s : new ProportionStatistic(units, 0);
            case MEAN -> {
                MeanStatistic m =
                        s instanceof MeanStatistic x ? x : new MeanStatistic(units, 0, 0, null);
                yield new MeanStatistic(
                        m.n(),
                        m.sum(),
                        m.sumSquares(),
                        !adjust
                                ? null
                                : m.covariate() != null ? m.covariate() : new Covariate(0, 0, 0));
            }
            case RATIO -> {
                RatioStatistic r =
                        s instanceof RatioStatistic x
                                ? x
                                : new RatioStatistic(units, 0, 0, 0, 0, 0, null);
                RatioStatistic stat =
                        new RatioStatistic(
                                r.n(),
                                r.mSum(),
                                r.mSumSquares(),
                                r.dSum(),
                                r.dSumSquares(),
                                r.mdSumProducts(),
                                !adjust
                                        ? null
                                        : r.covariate() != null
                                                ? r.covariate()
                                                : new RatioCovariate(0, 0, 0, 0));
                yield metric.scale() == 1 ? stat : stat.scaledNumerator(metric.scale());
            }
        };
    }

    private static MetricReport metricReport(
            ExperimentSettings settings, MetricByArm metric, long[] units, AnalysisResult result) {
        List<ArmMetric> arms = new ArrayList<>();
        for (int i = 0; i < settings.arms().size(); i++) {
            MetricStatistic s = armStatistics(metric, i);
            double numerator = 0;
            double denominator = units[i];
            long n = s == null ? units[i] : s.n();
            if (s instanceof RatioStatistic r) {
                numerator = r.mSum();
                denominator = r.dSum();
            } else if (s instanceof MeanStatistic m) {
                numerator = m.sum();
            } else if (s instanceof ProportionStatistic p) {
                numerator = p.sum();
            } else if (metric.type() == MetricType.RATIO) {
                denominator = 0;
            }
            Double value = denominator > 0 ? metric.scale() * numerator / denominator : null;
            Comparison comparison = i == 0 ? null : result.arms().get(i).comparison();
            arms.add(
                    new ArmMetric(
                            settings.arms().get(i).key(),
                            n,
                            numerator,
                            denominator,
                            value,
                            comparison));
        }
        return new MetricReport(metric.metric(), arms);
    }

    /**
     * The daily cumulative series of the decision metrics. Past days come from a cache computed on
     * a background thread and refreshed once older than {@code
     * splitrank.reports.timeseries-refresh}: they hardly change, and the per-day query costs
     * unit-days × days (a minute for a million units), so a request waits for it at most {@code
     * splitrank.reports.timeseries-wait}, on the first report of a day, and otherwise answers
     * without the past days until they are ready; today's point of a running experiment comes from
     * the live aggregates, so the last point always agrees with the report's own comparison
     * (without CUPED).
     */
    private List<TimeseriesPoint> timeseries(
            ExperimentSettings settings, AggregateQuery query, ExperimentAggregates live) {
        AggregateQuery daily = query.withCuped(false);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<DailyAggregates> days = series(new SeriesKey(daily, settings.status(), today));
        // only the current phase of a running experiment is still moving: its today comes from the
        // live numbers
        boolean running =
                settings.status().equals("running") && settings.phase() == settings.currentPhase();
        List<TimeseriesPoint> points = new ArrayList<>();
        for (DailyAggregates day : days) {
            if (day.day().isBefore(today) || (!running && !day.day().isAfter(today))) {
                addPoints(points, settings, day.day(), units(settings, day.arms()), day.metrics());
            }
        }
        if (running && !live.arms().isEmpty()) {
            addPoints(points, settings, today, units(settings, live.arms()), live.metrics());
        }
        return points;
    }

    /**
     * The daily series of a day as computed last (recomputed in the background once older than
     * timeseries-refresh). A new day (or the first report): the request that starts the series
     * waits a little for it, never longer than the budget, and otherwise answers with what the
     * cache had (yesterday's series, if any); later requests do not wait for a series already being
     * computed (the stream pushes it when it is done).
     */
    private List<DailyAggregates> series(SeriesKey key) {
        boolean[] started = new boolean[1];
        CompletableFuture<List<DailyAggregates>> future =
                dailySeries.get(
                        key,
                        (k, executor) -> {
                            started[0] = true;
                            return CompletableFuture.supplyAsync(() -> computeSeries(k), executor);
                        });
        if (started[0] && !future.isDone()) {
            try {
                future.get(timeseriesWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // answer with what the cache had
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return future.join();
        }
        List<DailyAggregates> yesterday =
                dailySeries.synchronous().policy().getIfPresentQuietly(key.dayBefore());
        return yesterday == null ? List.of() : yesterday;
    }

    private List<DailyAggregates> computeSeries(SeriesKey key) {
        long start = System.nanoTime();
        try {
            List<DailyAggregates> days = aggregates.dailyCumulative(key.query());
            log.info(
                    "daily series of experiment {} phase {} ({} days) took {} ms",
                    key.query().experimentId(),
                    key.query().phase(),
                    days.size(),
                    (System.nanoTime() - start) / 1_000_000);
            return days;
        } catch (RuntimeException e) {
            log.warn(
                    "daily series of {} failed; retrying at the next report: {}",
                    key,
                    e.toString());
            throw e;
        }
    }

    private void addPoints(
            List<TimeseriesPoint> points,
            ExperimentSettings settings,
            LocalDate day,
            long[] units,
            List<MetricByArm> metrics) {
        for (String id : settings.decisionMetrics()) {
            MetricByArm m =
                    metrics.stream().filter(x -> x.metric().equals(id)).findFirst().orElse(null);
            if (m == null) {
                continue;
            }
            AnalysisResult r = analyze(settings, m, units, false, Correction.NONE);
            for (int i = 1; i < r.arms().size(); i++) {
                Comparison c = r.arms().get(i).comparison();
                if (c != null && c.computed()) {
                    points.add(
                            new TimeseriesPoint(
                                    day,
                                    id,
                                    r.arms().get(i).key(),
                                    c.estimate(),
                                    c.sequential().ci()));
                }
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private record ReportKey(ExperimentSettings settings, String scenario) {}

    private record ComputedReport(ExperimentReport report, boolean slow) {}

    private record SeriesKey(AggregateQuery query, String status, LocalDate day) {
        SeriesKey dayBefore() {
            return new SeriesKey(query, status, day.minusDays(1));
        }
    }
}
