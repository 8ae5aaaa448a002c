package io.tally.http;

import io.tally.runtime.cgroup.StatsSample;
import io.tally.runtime.cgroup.StatsSample.BlkioEntry;

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
        m.put("blkio_stats", blkio(s));
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(s));
        m.put("precpu_stats", previous == null
                ? cpu(StatsSample.empty(s.read(), s.onlineCpus())) : cpu(previous));
        Map<String, Object> memory = new LinkedHashMap<>();
        memory.put("usage", s.memoryUsage());
        // only where the cgroup keeps a peak (v1; v2 kernels with memory.peak), as Docker leaves it out otherwise
        s.memoryMaxUsage().ifPresent(peak -> memory.put("max_usage", peak));
        memory.put("stats", s.memoryStat());
        memory.put("limit", s.memoryLimit());
        m.put("memory_stats", memory);
        m.put("name", "/" + name);
        m.put("id", id);
        // no "networks": containers have no network interface but loopback yet, and Docker leaves the key out then
        return m;
    }

    private static Map<String, Object> blkio(StatsSample s) {
        Map<String, Object> blkio = new LinkedHashMap<>();
        blkio.put("io_service_bytes_recursive", entries(s.ioServiceBytes()));
        blkio.put("io_serviced_recursive", entries(s.ioServiced()));
        return blkio;
    }

    private static List<Map<String, Object>> entries(List<BlkioEntry> entries) {
        return entries.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("major", e.major());
            m.put("minor", e.minor());
            m.put("op", e.op());
            m.put("value", e.value());
            return m;
        }).toList();
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
        Map<String, Object> throttling = new LinkedHashMap<>();
        throttling.put("periods", s.throttling().periods());
        throttling.put("throttled_periods", s.throttling().throttledPeriods());
        throttling.put("throttled_time", s.throttling().throttledTimeNanos());
        cpu.put("throttling_data", throttling);
        return cpu;
    }
}
