package io.splitrank.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How much of the machine the benchmark's own processes (this one, the app, its embedded
 * PostgreSQL) and everything else used over a phase, from {@code /proc} (Linux only; elsewhere it
 * reports nothing). The machine is shared with other work, and the load average cannot tell that
 * apart from the benchmark's own clients: the CPU the other processes took during a phase can. It
 * also splits ours into its three parts (the load generator, the app, PostgreSQL with its backends,
 * including those that ended during the phase), which shows where the time of a request went.
 */
public final class CpuShare {

    /**
     * One reading: busy and total jiffies of the machine, and the jiffies of ours, in total and per
     * part (this process, the app, PostgreSQL).
     */
    public record Sample(long busy, long total, long ours, long self, long app, long postgres) {}

    /** Cores used over a phase: by ours, by every other process, out of {@code cores}. */
    public record Usage(double ours, double others, int cores) {
        /** The usage over two phases, weighted by their durations. */
        public static Usage pooled(Usage a, double aSeconds, Usage b, double bSeconds) {
            if (a == null || b == null) {
                return a == null ? b : a;
            }
            double t = aSeconds + bSeconds;
            return new Usage(
                    (a.ours * aSeconds + b.ours * bSeconds) / t,
                    (a.others * aSeconds + b.others * bSeconds) / t,
                    a.cores);
        }
    }

    private final long appPid;
    private final String dataDir;
    private final boolean available = Files.isReadable(Path.of("/proc/stat"));

    /**
     * @param appPid the app's process id, or 0 if unknown
     * @param dataDir a path in the command line of the app's PostgreSQL server (its data
     *     directory), or null
     */
    public CpuShare(long appPid, String dataDir) {
        this.appPid = appPid;
        this.dataDir = dataDir;
    }

    public Sample sample() {
        if (!available) {
            return null;
        }
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // user nice system idle iowait irq softirq steal
            long total = 0;
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            long[] parts = ours();
            return new Sample(
                    total - idle,
                    total,
                    parts[0] + parts[1] + parts[2],
                    parts[0],
                    parts[1],
                    parts[2]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * CPU seconds per part between two readings: this process, the app, PostgreSQL; null when
     * unavailable.
     */
    public static double[] seconds(Sample a, Sample b) {
        if (a == null || b == null) {
            return null;
        }
        // jiffies: USER_HZ is 100 on every Linux this runs on
        return new double[] {
            (b.self - a.self) / 100.0, (b.app - a.app) / 100.0, (b.postgres - a.postgres) / 100.0
        };
    }

    public static Usage between(Sample a, Sample b) {
        if (a == null || b == null || b.total <= a.total) {
            return null;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double perCore = (double) (b.total - a.total) / cores;
        double ours = (b.ours - a.ours) / perCore;
        double busy = (b.busy - a.busy) / perCore;
        return new Usage(ours, Math.max(0, busy - ours), cores);
    }

    /**
     * Jiffies of this process, of the app and of PostgreSQL's server, each with its descendants:
     * utime + stime of the living ones, and cutime + cstime of the roots, which hold the time of
     * children that ended and were waited for (PostgreSQL's backends of closed connections).
     */
    private long[] ours() throws IOException {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> time = new HashMap<>();
        Map<Long, Long> children = new HashMap<>();
        long self = ProcessHandle.current().pid();
        Set<Long> postgres = new HashSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long pid = Long.parseLong(name);
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
                    parent.put(pid, Long.parseLong(f.get(1)));
                    time.put(pid, Long.parseLong(f.get(11)) + Long.parseLong(f.get(12)));
                    children.put(pid, Long.parseLong(f.get(13)) + Long.parseLong(f.get(14)));
                    boolean server = stat.contains("(postgres)");
                    if (server
                            && dataDir != null
                            && new String(
                                            Files.readAllBytes(p.resolve("cmdline")),
                                            StandardCharsets.UTF_8)
                                    .contains(dataDir)) {
                        postgres.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        }
        // PostgreSQL's server is a child of the app when the app embeds it: its part is counted
        // there, not in the app's
        Set<Long> app = appPid > 0 ? Set.of(appPid) : Set.of();
        long[] sums = new long[3];
        for (Map.Entry<Long, Long> e : time.entrySet()) {
            long pid = e.getKey();
            if (descends(pid, postgres, parent)) {
                sums[2] += e.getValue();
            } else if (descends(pid, Set.of(self), parent)) {
                sums[0] += e.getValue();
            } else if (descends(pid, app, parent)) {
                sums[1] += e.getValue();
            }
        }
        for (long pid : postgres) {
            if (!postgres.contains(parent.getOrDefault(pid, 0L))) {
                sums[2] += children.getOrDefault(pid, 0L);
            }
        }
        return sums;
    }

    private static boolean descends(long pid, Set<Long> roots, Map<Long, Long> parent) {
        for (int depth = 0; depth < 64 && pid > 1; depth++) {
            if (roots.contains(pid)) {
                return true;
            }
            Long p = parent.get(pid);
            if (p == null) {
                return false;
            }
            pid = p;
        }
        return false;
    }
}
