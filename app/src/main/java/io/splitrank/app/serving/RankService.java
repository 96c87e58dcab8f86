package io.splitrank.app.serving;

import io.splitrank.app.assignment.AssignmentService;
import io.splitrank.app.assignment.AssignmentView;
import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.DependencyUnavailableException;
import io.splitrank.app.problem.FieldProblem;
import io.splitrank.experiments.Arm;
import io.splitrank.experiments.AssignmentEngine;
import io.splitrank.experiments.FnvHash;
import io.splitrank.experiments.InterleavedItem;
import io.splitrank.experiments.TeamDraft;
import io.splitrank.models.marketplace.Bid;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Assigns a unit in an experiment (recording its first exposure as {@code /assign} does) and ranks
 * the candidates with its arm's model; a unit outside the experiment, or an experiment that is not
 * running, is ranked by the control arm's model. Candidates are ordered by the eCPM the model
 * expects under the ad's bid ({@link Bid#expectedRevenue}, times 1000).
 */
@Service
class RankService {

    private static final Logger log = LoggerFactory.getLogger(RankService.class);

    private final ModelRegistry registry;
    private final RunningExperiments running;
    private final ExperimentReadModel lookup;
    private final AssignmentService assignment;
    private final InterleavedRankings rankingsStore;
    private final Clock clock;

    RankService(
            ModelRegistry registry,
            RunningExperiments running,
            ExperimentReadModel lookup,
            AssignmentService assignment,
            InterleavedRankings rankingsStore,
            Clock clock) {
        this.registry = registry;
        this.running = running;
        this.lookup = lookup;
        this.assignment = assignment;
        this.rankingsStore = rankingsStore;
        this.clock = clock;
    }

    /** A validated candidate: its raw features already hold ad_id, conversion_type and ad_bid. */
    record Candidate(String itemId, Bid bid, Map<String, Object> features) {}

    /**
     * One ranked item; the probabilities are null for a ranker that predicts none (random). In an
     * interleaving experiment, {@code arm} is the arm credited with the item, and the numbers are
     * its arm's model's.
     */
    record RankedItem(
            String itemId, Float pCtr, Float pCvr, Float expectedValue, double score, String arm) {

        RankedItem(String itemId, Float pCtr, Float pCvr, Float expectedValue, double score) {
            this(itemId, pCtr, pCvr, expectedValue, score, null);
        }

        RankedItem creditedTo(String arm) {
            return new RankedItem(itemId, pCtr, pCvr, expectedValue, score, arm);
        }
    }

    /**
     * The answer of one rank call.
     *
     * @param arm the unit's arm, null when it is not in the experiment
     * @param reason why the unit is in or out (as /assign answers it), or not_running
     */
    record Ranking(
            String experiment,
            int phase,
            boolean inExperiment,
            String arm,
            String model,
            String reason,
            String rankingId,
            List<RankedItem> items) {}

    /** The conversion types a candidate may have. */
    java.util.Set<String> conversionTypes() {
        return registry.conversionTypes();
    }

    Ranking rank(String experimentKey, Map<String, Object> attributes, List<Candidate> candidates) {
        RunningExperiments.LiveExperiment live = running.current().byKey().get(experimentKey);
        String arm = null;
        String model;
        String reason;
        int phase = 0;
        boolean in = false;
        if (live == null) {
            model =
                    lookup.controlModel(experimentKey)
                            .orElseThrow(
                                    () ->
                                            ApiProblemException.notFound(
                                                    "no experiment with key " + experimentKey,
                                                    new FieldProblem(
                                                            "experiment", "unknown experiment")));
            reason = "not_running";
        } else {
            AssignmentView a = assignment.assign(attributes, List.of(experimentKey)).get(0);
            if (live.interleaving() && a.inExperiment()) {
                return interleave(live, a, attributes, candidates);
            }
            in = a.inExperiment();
            phase = a.phase() == null ? 0 : a.phase();
            reason = a.reason();
            arm = a.arm();
            model = in ? a.model() : live.experiment().control().model();
        }
        List<RankedItem> items =
                scoreWith(
                        model,
                        "model "
                                + model
                                + " is not loaded; nothing was ranked (GET /api/v1/models lists the loaded ones)",
                        attributes,
                        candidates);
        return new Ranking(
                experimentKey, phase, in, arm, model, reason, UUID.randomUUID().toString(), items);
    }

    /** The candidates ranked by the model, leased for the call; 503 when it is not loaded. */
    private List<RankedItem> scoreWith(
            String model,
            String notLoaded,
            Map<String, Object> attributes,
            List<Candidate> candidates) {
        try (ModelRegistry.Lease lease =
                registry.lease(model)
                        .orElseThrow(() -> new DependencyUnavailableException(notLoaded))) {
            return score(lease.ranker(), attributes, candidates);
        }
    }

    /**
     * An interleaving experiment's unit: every arm's model ranks the candidates, the lists are
     * merged by team-draft interleaving (multileaving for more than two arms), seeded by the unit
     * and the candidates so that a replayed request gets the same list, and the merged list is
     * stored so that clicks and conversions can be credited to the arm of each item.
     */
    private Ranking interleave(
            RunningExperiments.LiveExperiment live,
            AssignmentView a,
            Map<String, Object> attributes,
            List<Candidate> candidates) {
        List<Arm> arms = live.experiment().arms();
        List<List<RankedItem>> rankings = new ArrayList<>(arms.size());
        List<Map<String, RankedItem>> byItem = new ArrayList<>(arms.size());
        for (Arm arm : arms) {
            List<RankedItem> ranking =
                    scoreWith(
                            arm.model(),
                            "model "
                                    + arm.model()
                                    + " of arm "
                                    + arm.key()
                                    + " is not loaded; nothing was ranked",
                            attributes,
                            candidates);
            rankings.add(ranking);
            Map<String, RankedItem> items = new HashMap<>(ranking.size() * 2);
            ranking.forEach(r -> items.putIfAbsent(r.itemId(), r));
            byItem.add(items);
        }
        String unitId = AssignmentEngine.unitId(attributes.get(live.experiment().hashAttribute()));
        StringBuilder request = new StringBuilder(unitId);
        candidates.forEach(c -> request.append('\u0000').append(c.itemId()));
        long seed = FnvHash.fnv1a32(request);
        List<InterleavedItem> merged =
                TeamDraft.interleave(
                        rankings.stream()
                                .map(r -> r.stream().map(RankedItem::itemId).toList())
                                .toList(),
                        seed);
        List<RankedItem> items = new ArrayList<>(merged.size());
        List<String> ids = new ArrayList<>(merged.size());
        List<Integer> credited = new ArrayList<>(merged.size());
        for (InterleavedItem pick : merged) {
            RankedItem item = byItem.get(pick.arm()).get(pick.itemId());
            items.add(item.creditedTo(arms.get(pick.arm()).key()));
            ids.add(pick.itemId());
            credited.add(pick.arm());
        }
        String rankingId = UUID.randomUUID().toString();
        int phase = a.phase() == null ? live.experiment().phase() : a.phase();
        rankingsStore.save(rankingId, live.id(), phase, unitId, clock.instant(), ids, credited);
        return new Ranking(
                live.experiment().key(), phase, true, null, null, a.reason(), rankingId, items);
    }

    private static List<RankedItem> score(
            Ranker ranker, Map<String, Object> attributes, List<Candidate> candidates) {
        Map<String, Object> user = attributes;
        if (!attributes.containsKey("user_id") && attributes.get("userId") != null) {
            user = new HashMap<>(attributes);
            user.put("user_id", attributes.get("userId"));
        }
        Object scenario = attributes.get("scenario");
        List<Map<String, Object>> ads = new ArrayList<>(candidates.size());
        candidates.forEach(c -> ads.add(c.features()));
        Ranker.Predictions p;
        try {
            p = ranker.predict(user, scenario == null ? null : scenario.toString(), ads);
        } catch (RuntimeException e) {
            log.error(
                    "Model {} failed to rank {} candidates",
                    ranker.info().key(),
                    candidates.size(),
                    e);
            throw new DependencyUnavailableException(
                    "model " + ranker.info().key() + " failed; nothing was ranked, retry later");
        }
        List<RankedItem> items = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            double score =
                    p.order() != null
                            ? p.order()[i]
                            : 1000
                                    * c.bid()
                                            .expectedRevenue(
                                                    p.pCtr()[i], p.pCvr()[i], p.expectedValue()[i]);
            items.add(
                    new RankedItem(
                            c.itemId(),
                            at(p.pCtr(), i),
                            at(p.pCvr(), i),
                            at(p.expectedValue(), i),
                            score));
        }
        items.sort(Comparator.comparingDouble(RankedItem::score).reversed());
        return items;
    }

    private static Float at(float[] values, int i) {
        return values == null ? null : values[i];
    }
}
