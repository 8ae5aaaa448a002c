package io.tally.runtime.cgroup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One reading of a container's cgroup counters (v1 or v2) and of the host's CPU time, in the units
 * Docker reports: CPU in nanoseconds, memory in bytes.
 */
public record StatsSample(Instant read, long cpuTotalNanos, long cpuUserNanos, long cpuSystemNanos, List<Long> perCpuNanos,
                          long systemCpuNanos, int onlineCpus, long memoryUsage, long memoryLimit, Map<String, Long> memoryStat,
                          long pids) {
}
