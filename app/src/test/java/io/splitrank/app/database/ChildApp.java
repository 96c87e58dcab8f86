package io.splitrank.app.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The application in a JVM of its own ({@code java -cp <this test's classpath>
 * io.splitrank.app.SplitrankApplication}), as an operator runs it, so that it can be killed with
 * SIGKILL. Its output goes to a log file under {@code target/}.
 */
final class ChildApp implements AutoCloseable {

    static final String ADMIN_KEY = "crash-test-admin-key";
    private static final Pattern STARTED_ON_PORT = Pattern.compile("Tomcat started on port (\\d+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final long startedAt = System.nanoTime();
    private volatile int port;

    private ChildApp(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts the application.
     *
     * @param name for its log file
     * @param logDir where the log goes
     * @param env extra environment (SPLITRANK_ADMIN_KEY is always set)
     * @param port its HTTP port, 0 for any (read from its log)
     * @param args Spring arguments, {@code --name=value}
     */
    static ChildApp start(
            String name, Path logDir, Map<String, String> env, int port, String... args)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a quick start matters more here than peak speed; heap as the app's tests have
        command.addAll(
                List.of(
                        "-Xmx1g",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Djava.awt.headless=true",
                        "-cp",
                        applicationClasspath(),
                        "io.splitrank.app.SplitrankApplication",
                        "--server.port=" + port,
                        "--splitrank.admin-password=crash-test-password",
                        "--splitrank.models.reference-arms=false"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("SPLITRANK_ADMIN_KEY", ADMIN_KEY);
        builder.environment().putAll(env);
        return new ChildApp(name, builder.start(), log, port);
    }

    /**
     * The test JVM's classpath without the test classes (whose test configurations would be scanned
     * as the app's own). Surefire puts the classpath in a manifest-only jar and names the real one
     * in {@code surefire.test.class.path}.
     */
    static String applicationClasspath() {
        String classpath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail() {
        String[] lines = log().split("\n");
        return String.join(
                "\n", Arrays.asList(lines).subList(Math.max(0, lines.length - 60), lines.length));
    }

    int port() {
        return port;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /**
     * Waits until {@code /actuator/health/readiness} answers UP (after the start's runners, such as
     * the admin key's bootstrap); returns how long the start took.
     *
     * @throws AssertionError with the end of its log if it exits or takes longer than {@code
     *     timeout}
     */
    Duration awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        name
                                + " exited with "
                                + process.exitValue()
                                + " while starting:\n"
                                + tail());
            }
            if (port == 0) {
                Matcher m = STARTED_ON_PORT.matcher(log());
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            if (port != 0 && healthy()) {
                return Duration.ofNanos(System.nanoTime() - startedAt);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " not healthy within " + timeout + ":\n" + tail());
    }

    private boolean healthy() throws InterruptedException {
        try {
            HttpResponse<String> response =
                    HTTP.send(
                            HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for the process to end; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as(name + " did not exit within " + timeout + ":\n" + tail())
                .isTrue();
        return process.exitValue();
    }

    /** SIGKILL, as the OOM killer sends: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as {@code docker stop} or systemd sends: a graceful shutdown. */
    void terminate() {
        process.destroy();
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + ADMIN_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Kills it if a test left it running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
