package io.splitrank.app.serving;

import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.FieldProblem;
import io.splitrank.models.marketplace.Bid;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/rank")
@Tag(name = "Ranking", description = "Assign a unit and rank candidate ads with its arm's model")
class RankController {

    private final RankService service;
    private final ModelProperties properties;

    RankController(RankService service, ModelProperties properties) {
        this.service = service;
        this.properties = properties;
    }

    @Schema(description = "A candidate ad")
    record CandidateJson(
            @Schema(description = "The ad's id, echoed in the answer", example = "a42")
                    String itemId,
            @Schema(
                            description =
                                    "What the ad pays: per conversion (cpa), or the share of the conversion's value"
                                            + " (value); finite, >= 0",
                            example = "1.8")
                    Double bid,
            @Schema(description = "cpa (default) or value", example = "cpa") String bidType,
            @Schema(
                            description =
                                    "The conversion the ad is paid for (install, register, purchase)",
                            example = "install")
                    String conversionType,
            @Schema(
                            description =
                                    "The ad's raw features by name (ad_category, ad_advertiser, ad_bid, …); unknown or"
                                            + " missing values fall into the model's unknown bucket",
                            example = "{\"ad_category\": \"cat3\", \"ad_advertiser\": \"adv40\"}")
                    Map<String, Object> features) {}

    record RankRequest(
            @Schema(description = "The experiment whose arm ranks", example = "ranker-ektm")
                    String experiment,
            @Schema(
                            description =
                                    "The unit's attributes: the hash attribute, targeting attributes, scenario and user"
                                            + " features (user_id, user_age, user_gender, user_city, user_activity)",
                            example =
                                    "{\"userId\": \"u17\", \"scenario\": \"home\", \"user_age\": \"25-34\"}")
                    Map<String, Object> attributes,
            @Schema(description = "1 to splitrank.models.max-candidates (default 1,000) candidates")
                    List<CandidateJson> candidates) {}

    @PostMapping
    @Operation(
            summary =
                    "Assign the unit and rank the candidates by expected eCPM with its arm's model",
            description =
                    "Records the unit's first exposure as /assign does. A unit outside the experiment, or an"
                            + " experiment that is not running, is ranked by the control arm's model (inExperiment false)."
                            + " score = 1000 · pCtr · pCvr · bid (cpa) or 1000 · pCtr · pCvr · expectedValue · bid (value);"
                            + " the random reference ranker orders at random and predicts nothing. 503 with Retry-After"
                            + " when the arm's model is not loaded or fails: nothing is ranked partially.")
    RankService.Ranking rank(@RequestBody RankRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        if (request.experiment() == null || request.experiment().isBlank()) {
            errors.add(new FieldProblem("experiment", "required: the experiment's key"));
        }
        if (request.attributes() == null) {
            errors.add(
                    new FieldProblem(
                            "attributes", "required: an object with the unit's attributes"));
        }
        List<RankService.Candidate> candidates = candidates(request.candidates(), errors);
        if (!errors.isEmpty()) {
            throw ApiProblemException.badRequest(errors);
        }
        return service.rank(request.experiment(), request.attributes(), candidates);
    }

    private List<RankService.Candidate> candidates(
            List<CandidateJson> json, List<FieldProblem> errors) {
        int max = properties.maxCandidates();
        if (json == null || json.isEmpty() || json.size() > max) {
            errors.add(
                    new FieldProblem(
                            "candidates",
                            "1 to "
                                    + max
                                    + " candidates are required"
                                    + (json == null ? "" : ", got " + json.size())));
            return List.of();
        }
        Set<String> types = service.conversionTypes();
        List<RankService.Candidate> out = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            CandidateJson c = json.get(i);
            String at = "candidates[" + i + "]";
            if (c == null) {
                errors.add(new FieldProblem(at, "must be an object"));
                continue;
            }
            int before = errors.size();
            if (c.itemId() == null || c.itemId().isBlank() || c.itemId().length() > 200) {
                errors.add(new FieldProblem(at + ".itemId", "required: 1 to 200 characters"));
            }
            if (c.bid() == null || !(c.bid() >= 0) || c.bid().isInfinite()) {
                errors.add(new FieldProblem(at + ".bid", "required: a finite number >= 0"));
            }
            boolean onValue = "value".equals(c.bidType());
            if (c.bidType() != null && !onValue && !"cpa".equals(c.bidType())) {
                errors.add(new FieldProblem(at + ".bidType", "must be cpa or value"));
            }
            if (c.conversionType() == null || !types.contains(c.conversionType())) {
                errors.add(
                        new FieldProblem(
                                at + ".conversionType",
                                (c.conversionType() == null
                                                ? "required"
                                                : "unknown conversion type " + c.conversionType())
                                        + "; the models know "
                                        + String.join(", ", types)));
            }
            if (errors.size() > before) {
                continue;
            }
            Map<String, Object> features =
                    c.features() == null ? new HashMap<>() : new HashMap<>(c.features());
            features.putIfAbsent("ad_id", c.itemId());
            features.put("conversion_type", c.conversionType());
            features.putIfAbsent("ad_bid", c.bid());
            out.add(new RankService.Candidate(c.itemId(), new Bid(c.bid(), onValue), features));
        }
        return out;
    }
}
