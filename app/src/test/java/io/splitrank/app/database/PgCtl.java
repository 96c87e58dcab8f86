package io.splitrank.app.database;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code pg_ctl} on a data directory as the embedded PostgreSQL library runs it: {@code
 * pg_ctl} refuses to run as root, so when the tests run as root (CI does) the library starts its
 * commands in a user namespace of their own ({@code unshare -U}, where root is unmapped), and so
 * does this.
 */
final class PgCtl {

    private PgCtl() {}

    /**
     * Runs {@code pg_ctl -D dataDir args…} and returns its exit code.
     *
     * @param pgCtl the {@code pg_ctl} binary
     */
    static int run(Path pgCtl, Path dataDir, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(pgCtl.toString());
        command.add("-D");
        command.add(dataDir.toString());
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("pg_ctl " + String.join(" ", args) + " hung");
        }
        return process.exitValue();
    }
}
