package io.tally.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@link StatsSample} from a container's cgroup files (v1 or v2) and /proc. */
final class CgroupStats {
    private static final long USER_HZ = 100;

    private CgroupStats() {
    }

    static StatsSample sample(CgroupDirs dirs, String containerId) throws IOException {
        boolean v2 = dirs.isUnified();
        long system = systemCpuNanos();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (v2) {
            Path dir = dirs.dir(containerId, "");
            Map<String, Long> cpu = keyed(dir.resolve("cpu.stat"));
            return new StatsSample(Instant.now(), cpu.getOrDefault("usage_usec", 0L) * 1000, cpu.getOrDefault("user_usec", 0L) * 1000,
                    cpu.getOrDefault("system_usec", 0L) * 1000, List.of(), system, cpus, number(dir.resolve("memory.current")),
                    limit(dir.resolve("memory.max")), keyed(dir.resolve("memory.stat")), number(dir.resolve("pids.current")));
        }
        Path cpuacct = dirs.dir(containerId, "cpuacct");
        Path memory = dirs.dir(containerId, "memory");
        Map<String, Long> ticks = keyed(cpuacct.resolve("cpuacct.stat"));
        List<Long> perCpu = new ArrayList<>();
        for (String v : read(cpuacct.resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
            if (!v.isBlank()) {
                perCpu.add(Long.parseLong(v));
            }
        }
        return new StatsSample(Instant.now(), number(cpuacct.resolve("cpuacct.usage")),
                ticks.getOrDefault("user", 0L) * 1_000_000_000L / USER_HZ, ticks.getOrDefault("system", 0L) * 1_000_000_000L / USER_HZ,
                perCpu, system, cpus, number(memory.resolve("memory.usage_in_bytes")), limit(memory.resolve("memory.limit_in_bytes")),
                keyed(memory.resolve("memory.stat")), number(dirs.dir(containerId, "pids").resolve("pids.current")));
    }

    /** The host's total CPU time from /proc/stat, in nanoseconds (Docker's system_cpu_usage). */
    static long systemCpuNanos() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
        long ticks = 0;
        String[] f = cpu.trim().split("\\s+");
        for (int i = 1; i < Math.min(f.length, 8); i++) {
            ticks += Long.parseLong(f[i]);
        }
        return ticks * 1_000_000_000L / USER_HZ;
    }

    private static long limit(Path p) {
        String v = read(p).trim();
        if (v.isEmpty() || v.equals("max")) {
            return memTotal();
        }
        long l = Long.parseLong(v);
        // cgroup v1 reports "no limit" as a huge page-aligned number: show the host's memory, as Docker does
        return Math.min(l, memTotal());
    }

    private static long memTotal() {
        for (String line : read(Path.of("/proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    private static long number(Path p) {
        String v = read(p).trim();
        try {
            return v.isEmpty() ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, Long> keyed(Path p) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : read(p).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    m.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return m;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
