package io.splitrank.app.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a Splitrank that ended without stopping its embedded PostgreSQL (SIGKILL, the OOM
 * killer, a crash of the JVM) left in the server's data directory, before the next start.
 *
 * <p>The embedded server runs detached from the JVM ({@code pg_ctl} starts it in its own session,
 * and its parent is pid 1 even while the app lives), so it outlives a killed app and keeps its
 * {@code postmaster.pid}; the next start then fails with {@code lock file "postmaster.pid" already
 * exists}. Called while this process holds the {@link DataDirectoryLock}, so no live Splitrank owns
 * the directory, it reads {@code postmaster.pid} (pid, data directory, port) and:
 *
 * <ul>
 *   <li>no file: nothing to do;
 *   <li>the pid is not running: the file is stale, and PostgreSQL itself removes it at start (after
 *       checking that no process of the old server still uses its shared memory); left to it;
 *   <li>the pid is a live {@code postgres} process whose working directory (a postmaster works in
 *       its data directory) is this data directory: the orphaned server; unless the embedded
 *       PostgreSQL library's own lock in the directory is held by a live process, it is shut down
 *       with the signals {@code pg_ctl stop} sends: smart (SIGTERM), then fast (SIGINT: rolls back
 *       open transactions, writes a checkpoint), then immediate (SIGQUIT: crash recovery at the
 *       next start), each with a timeout;
 *   <li>the pid is some other live process (pids are reused, e.g. after a container restart):
 *       PostgreSQL would refuse to start ("Is another postmaster running"), so the stale file is
 *       removed, unless server processes still run in the directory.
 * </ul>
 *
 * Linux only ({@code /proc}); elsewhere nothing is done and PostgreSQL's own checks apply.
 */
final class LeftoverPostmaster {

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);

    static final String PID_FILE = "postmaster.pid";

    /** The lock file of io.zonky's EmbeddedPostgres, held by the JVM that runs the server. */
    static final String LIBRARY_LOCK = "epg-lock";

    /** What {@link #clear} found and did. */
    enum Outcome {
        /** No {@code postmaster.pid}. */
        NONE,
        /** The pid in the file is not running; PostgreSQL removes the file at start. */
        STALE_LEFT_TO_POSTGRES,
        /** The pid in the file belongs to another process; the file was removed. */
        STALE_REMOVED,
        /** The orphaned server was shut down. */
        STOPPED
    }

    /** How long each shutdown mode may take before the next, harder one is tried. */
    record Timeouts(Duration smart, Duration fast, Duration immediate) {
        static final Timeouts DEFAULT =
                new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    /** The lines of {@code postmaster.pid} that matter here. */
    record PidFile(long pid, Path dataDirectory, int port) {

        static Optional<PidFile> read(Path pgData) throws IOException {
            List<String> lines;
            try {
                lines = Files.readAllLines(pgData.resolve(PID_FILE), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                // a server that crashed while starting; PostgreSQL says so itself
                return Optional.empty();
            }
            // a standalone backend writes its pid negated
            long pid = Math.abs(Long.parseLong(lines.get(0).trim()));
            Path dir = lines.size() > 1 ? Path.of(lines.get(1).trim()) : pgData;
            int port =
                    lines.size() > 3 && !lines.get(3).isBlank()
                            ? Integer.parseInt(lines.get(3).trim())
                            : 0;
            return Optional.of(new PidFile(pid, dir, port));
        }
    }

    private LeftoverPostmaster() {}

    /**
     * Clears the data directory {@code pgData} of a server or lock file left by a Splitrank that is
     * gone; call it while holding the {@link DataDirectoryLock}.
     *
     * @param shownAs the data directory as the user gave it, for messages
     * @throws DataDirectoryInUseException when a live process other than a Splitrank owns the
     *     server, or the server does not stop
     */
    static Outcome clear(Path pgData, String shownAs, Timeouts timeouts) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return Outcome.NONE;
        }
        try {
            Optional<PidFile> found = PidFile.read(pgData);
            if (found.isEmpty()) {
                return Outcome.NONE;
            }
            PidFile file = found.get();
            long pid = file.pid();
            Optional<Proc> proc = Proc.read(pid);
            if (proc.isEmpty()) {
                log.info(
                        "{} names pid {}, which is not running (the server was not shut down);"
                                + " PostgreSQL removes it at start",
                        pgData.resolve(PID_FILE),
                        pid);
                return Outcome.STALE_LEFT_TO_POSTGRES;
            }
            Path realData = pgData.toRealPath();
            if (!proc.get().isPostgresIn(realData)) {
                List<Long> servers = serverProcesses(realData);
                if (!servers.isEmpty()) {
                    log.warn(
                            "{} names pid {}, which is not a server of this directory, but PostgreSQL"
                                    + " processes {} still run in it; the file stays",
                            pgData.resolve(PID_FILE),
                            pid,
                            servers);
                    return Outcome.NONE;
                }
                Files.deleteIfExists(pgData.resolve(PID_FILE));
                log.info(
                        "Removed the stale {}: its pid {} is now another process ({})",
                        pgData.resolve(PID_FILE),
                        pid,
                        proc.get().comm());
                return Outcome.STALE_REMOVED;
            }
            OptionalLong owner = lockHolder(pgData.resolve(LIBRARY_LOCK));
            if (owner.isPresent() && Proc.read(owner.getAsLong()).isPresent()) {
                throw new DataDirectoryInUseException(
                        "data directory "
                                + shownAs
                                + " is in use: its PostgreSQL server (pid "
                                + pid
                                + ") belongs to the running process "
                                + owner.getAsLong()
                                + "; stop it or use --splitrank.data-dir=<another directory>",
                        "Stop process "
                                + owner.getAsLong()
                                + ", or give this Splitrank another directory with"
                                + " --splitrank.data-dir.");
            }
            log.warn(
                    "PostgreSQL server pid {} (port {}, data directory {}) still runs, left by a"
                            + " Splitrank that ended without stopping it (killed or crashed; the"
                            + " server's parent is now pid {}): shutting it down before starting a"
                            + " new one",
                    pid,
                    file.port(),
                    file.dataDirectory(),
                    proc.get().ppid());
            stop(pid, shownAs, timeouts);
            return Outcome.STOPPED;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not check " + pgData.resolve(PID_FILE) + " for a server left running",
                    e);
        }
    }

    private static void stop(long pid, String shownAs, Timeouts timeouts) throws IOException {
        long start = System.nanoTime();
        record Mode(String name, String signal, Duration timeout) {}
        for (Mode mode :
                List.of(
                        new Mode("smart", "TERM", timeouts.smart()),
                        new Mode("fast", "INT", timeouts.fast()),
                        new Mode("immediate", "QUIT", timeouts.immediate()))) {
            signal(pid, mode.signal());
            if (awaitExit(pid, mode.timeout())) {
                log.info(
                        "PostgreSQL server pid {} stopped ({} shutdown) in {} ms",
                        pid,
                        mode.name(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                return;
            }
            log.warn(
                    "PostgreSQL server pid {} did not stop within {} of a {} shutdown",
                    pid,
                    mode.timeout(),
                    mode.name());
        }
        throw new DataDirectoryInUseException(
                "data directory "
                        + shownAs
                        + " is in use by PostgreSQL server pid "
                        + pid
                        + ", left running by a Splitrank that is gone, which did not stop",
                "Stop it (kill -QUIT " + pid + ") and start again.");
    }

    /** Sends a signal the way pg_ctl does; the shell's builtin kill needs no further tool. */
    private static void signal(long pid, String signal) throws IOException {
        Process kill =
                new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " " + pid)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling pid " + pid, e);
        }
    }

    private static boolean awaitExit(long pid, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (Proc.read(pid).isPresent()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for pid " + pid, e);
            }
        }
        return true;
    }

    /** The live postgres processes whose working directory is {@code realData}. */
    static List<Long> serverProcesses(Path realData) throws IOException {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    long pid = Long.parseLong(name);
                    if (Proc.read(pid).map(p -> p.isPostgresIn(realData)).orElse(false)) {
                        found.add(pid);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The pid holding a POSIX lock on {@code file}, from {@code /proc/locks} (read only: opening
     * the file to test its lock would drop a lock this very process holds on it).
     */
    static OptionalLong lockHolder(Path file) throws IOException {
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        String inode = Files.getAttribute(file, "unix:ino").toString();
        for (String line : Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII)) {
            // 1: POSIX  ADVISORY  WRITE 14911 fe:00:2180593 0 EOF  ("1: -> ..." for a waiter)
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6
                    && !f[1].equals("->")
                    && f[5].substring(f[5].lastIndexOf(':') + 1).equals(inode)) {
                long pid = Long.parseLong(f[4]);
                if (pid > 0) {
                    return OptionalLong.of(pid);
                }
            }
        }
        return OptionalLong.empty();
    }

    /** A live process as {@code /proc} shows it; absent when gone (or a zombie). */
    record Proc(long pid, String comm, long ppid) {

        static Optional<Proc> read(long pid) {
            String stat;
            try {
                stat =
                        Files.readString(
                                Path.of("/proc", Long.toString(pid), "stat"),
                                StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return Optional.empty();
            }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] rest = stat.substring(close + 2).split(" ");
            char state = rest[0].charAt(0);
            if (state == 'Z' || state == 'X' || state == 'x') {
                return Optional.empty();
            }
            return Optional.of(
                    new Proc(pid, stat.substring(open + 1, close), Long.parseLong(rest[1])));
        }

        /** A postgres process working in {@code realData} (a postmaster's working directory). */
        boolean isPostgresIn(Path realData) {
            if (!comm.equals("postgres")) {
                return false;
            }
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"))
                        .equals(realData);
            } catch (IOException | UnsupportedOperationException e) {
                // gone, or another user's: not a server this process could have started
                return false;
            }
        }
    }
}
