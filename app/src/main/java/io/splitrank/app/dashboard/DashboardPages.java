package io.splitrank.app.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Readable addresses for the dashboard's static pages ({@code /experiments/ranker-ektm} rather than
 * {@code /experiment.html?key=ranker-ektm}); the pages' scripts read the key from the path.
 */
@Controller
class DashboardPages {

    @GetMapping("/login")
    String login() {
        return "forward:/login.html";
    }

    @GetMapping("/experiments/new")
    String newExperiment() {
        return "forward:/new.html";
    }

    @GetMapping("/models")
    String models() {
        return "forward:/models.html";
    }

    /** Admins only: the page says so to anyone else, and the API refuses them. */
    @GetMapping("/accounts")
    String accounts() {
        return "forward:/accounts.html";
    }

    /** Admins only: the page says so to anyone else, and the API refuses them. */
    @GetMapping("/keys")
    String keys() {
        return "forward:/keys.html";
    }

    @GetMapping("/experiments/{key}")
    String experiment(@PathVariable String key) {
        return "forward:/experiment.html";
    }
}
