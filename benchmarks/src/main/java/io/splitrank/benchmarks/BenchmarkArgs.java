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
}
