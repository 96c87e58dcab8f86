package io.splitrank.app.demo;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a simulation run does.
 *
 * @param url the platform's base address, e.g. http://localhost:8080
 * @param apiKey a writer or admin API key
 * @param experiment the experiment whose arms rank the traffic
 * @param users simulated users (each a unit of its own, behaving as a user of the marketplace drawn
 *     by activity)
 * @param requestsPerUser rank requests per simulated user, each in a scenario drawn by traffic
 *     share
 * @param rate rank requests per second at most (0: as fast as the threads go)
 * @param duration stop after this long even if users remain (null: when every user is done)
 * @param candidates K, the candidate ads of a request, drawn uniformly from the catalogue
 * @param slots S, the top slots shown of each ranking
 * @param seed the traffic's seed (which users come, what they do)
 * @param threads concurrent clients
 */
public record SimulationOptions(
        URI url,
        String apiKey,
        String experiment,
        int users,
        int requestsPerUser,
        double rate,
        Duration duration,
        int candidates,
        int slots,
        long seed,
        int threads) {

    public SimulationOptions {
        if (users < 1
                || requestsPerUser < 1
                || candidates < 1
                || slots < 1
                || slots > candidates
                || threads < 1
                || rate < 0) {
            throw new IllegalArgumentException(
                    "users, requests per user, candidates, threads >= 1; 1 <= slots <= "
                            + "candidates; rate >= 0");
        }
    }

    /** Defaults: 1,000 users, 1 request each, K = 100, S = 4, seed 1, 4 threads, no rate limit. */
    public static SimulationOptions defaults(URI url, String apiKey, String experiment) {
        return new SimulationOptions(url, apiKey, experiment, 1_000, 1, 0, null, 100, 4, 1, 4);
    }

    /** The {@code --name=value} arguments by name (flags without a value are left out). */
    static Map<String, String> named(String[] args) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                named.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return named;
    }

    /** Options from {@code --name=value} arguments over the defaults; unknown names are refused. */
    public static SimulationOptions parse(String[] args) {
        Map<String, String> named = named(args);
        String key = named.remove("key");
        if (key == null) {
            key = System.getenv("SPLITRANK_ADMIN_KEY");
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(
                    "--key=<api key> (or SPLITRANK_ADMIN_KEY) is required");
        }
        SimulationOptions o =
                defaults(
                        URI.create(named.getOrDefault("url", "http://localhost:8080")),
                        key,
                        named.getOrDefault("experiment", "online-ab"));
        named.remove("url");
        named.remove("experiment");
        o =
                new SimulationOptions(
                        o.url,
                        o.apiKey,
                        o.experiment,
                        intOf(named, "users", o.users),
                        intOf(named, "requests-per-user", o.requestsPerUser),
                        Double.parseDouble(take(named, "rate", String.valueOf(o.rate))),
                        named.containsKey("minutes")
                                ? Duration.ofSeconds(
                                        Math.round(
                                                60 * Double.parseDouble(named.remove("minutes"))))
                                : o.duration,
                        intOf(named, "candidates", o.candidates),
                        intOf(named, "slots", o.slots),
                        Long.parseLong(take(named, "seed", String.valueOf(o.seed))),
                        intOf(named, "threads", o.threads));
        named.keySet().removeAll(SimulateCommand.COMMAND_OPTIONS);
        if (!named.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + named.keySet());
        }
        return o;
    }

    private static int intOf(Map<String, String> named, String name, int fallback) {
        return Integer.parseInt(take(named, name, String.valueOf(fallback)));
    }

    private static String take(Map<String, String> named, String name, String fallback) {
        String value = named.remove(name);
        return value == null ? fallback : value;
    }
}
