package io.splitrank.benchmarks.rank;

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
 * apart from the benchmark's own 8 clients: the CPU the other processes took during a phase can.
 */
final class CpuShare {

    /** One reading: busy and total jiffies of the machine, and the busy jiffies of ours. */
    record Sample(long busy, long total, long ours) {}

    /** Cores used over a phase: by ours, by every other process, out of {@code cores}. */
    record Usage(double ours, double others, int cores) {
        /** The usage over two phases, weighted by their durations. */
        static Usage pooled(Usage a, double aSeconds, Usage b, double bSeconds) {
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
    CpuShare(long appPid, String dataDir) {
        this.appPid = appPid;
        this.dataDir = dataDir;
    }

    Sample sample() {
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
            return new Sample(total - idle, total, ours());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Usage between(Sample a, Sample b) {
        if (a == null || b == null || b.total <= a.total) {
            return null;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double perCore = (double) (b.total - a.total) / cores;
        double ours = (b.ours - a.ours) / perCore;
        double busy = (b.busy - a.busy) / perCore;
        return new Usage(ours, Math.max(0, busy - ours), cores);
    }

    /** utime + stime of this process, the app, PostgreSQL's server, and all their descendants. */
    private long ours() throws IOException {
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> time = new HashMap<>();
        Set<Long> roots = new HashSet<>();
        roots.add(ProcessHandle.current().pid());
        if (appPid > 0) {
            roots.add(appPid);
        }
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
                    if (dataDir != null
                            && new String(
                                            Files.readAllBytes(p.resolve("cmdline")),
                                            StandardCharsets.UTF_8)
                                    .contains(dataDir)) {
                        roots.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        }
        long sum = 0;
        for (Map.Entry<Long, Long> e : time.entrySet()) {
            if (descends(e.getKey(), roots, parent)) {
                sum += e.getValue();
            }
        }
        return sum;
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
