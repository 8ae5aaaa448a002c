package io.tally.http;

import io.tally.runtime.cgroup.StatsSample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `docker stats`: a cgroup sample in Docker's stats JSON shape. */
final class DockerStats {

    private DockerStats() {
    }

    /** {@code previous} fills precpu_stats (zeros when absent). */
    static Map<String, Object> of(StatsSample s, StatsSample previous, String name, String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("read", s.read().toString());
        m.put("preread", previous == null ? "0001-01-01T00:00:00Z" : previous.read().toString());
        m.put("pids_stats", Map.of("current", s.pids()));
        m.put("blkio_stats", Map.of("io_service_bytes_recursive", List.of(), "io_serviced_recursive", List.of()));
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(s));
        m.put("precpu_stats", previous == null
                ? cpu(new StatsSample(s.read(), 0, 0, 0, List.of(), 0, s.onlineCpus(), 0, 0, Map.of(), 0)) : cpu(previous));
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

    private static Map<String, Object> cpu(StatsSample s) {
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
}
