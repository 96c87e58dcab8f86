package io.splitrank.app.demo;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * {@code --demo}: the platform on its own embedded database (under {@code ./data-demo}, apart from
 * real data) with the reference rankers loaded and {@link DemoTraffic} feeding a ready experiment.
 * The admin key and dashboard password are fresh each start (unless SPLITRANK_ADMIN_KEY /
 * SPLITRANK_ADMIN_PASSWORD are set) so that they can be printed.
 */
public final class DemoMode {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoMode() {}

    /** Whether the arguments ask for the demo. */
    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains("--demo");
    }

    /**
     * The arguments with the demo's settings added; command-line settings win over the
     * application's.
     */
    public static String[] arguments(String[] args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            if (!arg.equals("--demo")) {
                out.add(arg);
            }
        }
        out.add("--splitrank.demo.enabled=true");
        addUnlessGiven(out, "splitrank.models.reference-arms", "true");
        addUnlessGiven(out, "splitrank.data-dir", "./data-demo");
        if (blank(System.getenv("SPLITRANK_ADMIN_KEY"))) {
            addUnlessGiven(out, "splitrank.admin-key", "sk_demo_" + secret());
        }
        if (blank(System.getenv("SPLITRANK_ADMIN_PASSWORD"))) {
            addUnlessGiven(out, "splitrank.admin-password", secret());
        }
        return out.toArray(String[]::new);
    }

    private static void addUnlessGiven(List<String> args, String name, String value) {
        if (args.stream().noneMatch(a -> a.startsWith("--" + name + "="))) {
            args.add("--" + name + "=" + value);
        }
    }

    private static String secret() {
        byte[] bytes = new byte[15];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
