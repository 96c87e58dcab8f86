package io.splitrank.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** The load drivers' command line: {@code --name=value} pairs. */
public final class BenchmarkArgs {

    private BenchmarkArgs() {}

    public static Map<String, String> parse(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value: " + a);
            }
            args.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        return args;
    }

    /** An integer argument, or the fallback when it was not given. */
    public static int intArg(Map<String, String> args, String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    /**
     * The {@code --jdbc} URL (default the local PostgreSQL on 5432), refused unless it names this
     * machine: the load drivers never talk to another host.
     */
    public static String loopbackJdbc(Map<String, String> args) {
        String url = args.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/postgres");
        if (!url.startsWith("jdbc:postgresql://127.0.0.1:")
                && !url.startsWith("jdbc:postgresql://localhost:")) {
            throw new IllegalArgumentException("the benchmark only talks to 127.0.0.1: " + url);
        }
        return url;
    }
}
