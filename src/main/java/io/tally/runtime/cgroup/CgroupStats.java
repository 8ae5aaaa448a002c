package io.tally.runtime.cgroup;

import io.tally.runtime.ContainerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `docker stats`: one sample of a container's cgroup counters (v1 or v2) and of the host's CPU
 * time, in the units Docker reports (CPU in nanoseconds, memory in bytes).
 */
public final class CgroupStats {
    private static final long USER_HZ = 100;

    public record Sample(Instant read, long cpuTotalNanos, long cpuUserNanos, long cpuSystemNanos, List<Long> perCpuNanos,
                         long systemCpuNanos, int onlineCpus, long memoryUsage, long memoryLimit, Map<String, Long> memoryStat,
                         long pids) {
    }

    private CgroupStats() {
    }

    public static Sample sample(ContainerRuntime runtime, String containerId) throws IOException {
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        long system = systemCpuNanos();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (v2) {
            Path dir = runtime.cgroupDir(containerId, "");
            Map<String, Long> cpu = keyed(dir.resolve("cpu.stat"));
            return new Sample(Instant.now(), cpu.getOrDefault("usage_usec", 0L) * 1000, cpu.getOrDefault("user_usec", 0L) * 1000,
                    cpu.getOrDefault("system_usec", 0L) * 1000, List.of(), system, cpus, number(dir.resolve("memory.current")),
                    limit(dir.resolve("memory.max")), keyed(dir.resolve("memory.stat")), number(dir.resolve("pids.current")));
        }
        Path cpuacct = runtime.cgroupDir(containerId, "cpuacct");
        Path memory = runtime.cgroupDir(containerId, "memory");
        Map<String, Long> ticks = keyed(cpuacct.resolve("cpuacct.stat"));
        List<Long> perCpu = new ArrayList<>();
        for (String v : read(cpuacct.resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
            if (!v.isBlank()) {
                perCpu.add(Long.parseLong(v));
            }
        }
        return new Sample(Instant.now(), number(cpuacct.resolve("cpuacct.usage")),
                ticks.getOrDefault("user", 0L) * 1_000_000_000L / USER_HZ, ticks.getOrDefault("system", 0L) * 1_000_000_000L / USER_HZ,
                perCpu, system, cpus, number(memory.resolve("memory.usage_in_bytes")), limit(memory.resolve("memory.limit_in_bytes")),
                keyed(memory.resolve("memory.stat")), number(runtime.cgroupDir(containerId, "pids").resolve("pids.current")));
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

    /** The sample in Docker's stats JSON shape; {@code previous} fills precpu_stats (zeros when absent). */
    public static Map<String, Object> toDocker(Sample s, Sample previous, String name, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", s.read().toString());
        m.put("preread", previous == null ? "0001-01-01T00:00:00Z" : previous.read().toString());
        m.put("pids_stats", Map.of("current", s.pids()));
        m.put("blkio_stats", Map.of("io_service_bytes_recursive", List.of(), "io_serviced_recursive", List.of()));
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(s));
        m.put("precpu_stats", previous == null ? cpu(new Sample(s.read(), 0, 0, 0, List.of(), 0, s.onlineCpus(), 0, 0, Map.of(), 0)) : cpu(previous));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("usage", s.memoryUsage());
        memory.put("max_usage", s.memoryUsage());
        memory.put("stats", s.memoryStat());
        memory.put("limit", s.memoryLimit());
        m.put("memory_stats", memory);
        m.put("name", "/" + name);
        m.put("id", id);
        m.put("networks", Map.of("lo", Map.of("rx_bytes", 0, "rx_packets", 0, "rx_errors", 0, "rx_dropped", 0,
                "tx_bytes", 0, "tx_packets", 0, "tx_errors", 0, "tx_dropped", 0)));
        return m;
    }

    private static Map<String, Object> cpu(Sample s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", s.cpuTotalNanos());
        usage.put("percpu_usage", s.perCpuNanos());
        usage.put("usage_in_kernelmode", s.cpuSystemNanos());
        usage.put("usage_in_usermode", s.cpuUserNanos());
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("cpu_usage", usage);
        cpu.put("system_cpu_usage", s.systemCpuNanos());
        cpu.put("online_cpus", s.onlineCpus());
        cpu.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return cpu;
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
