package io.tally.runtime.cgroup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One reading of a container's cgroup counters (v1 or v2) and of the host's CPU time, in the units
 * Docker reports: CPU in nanoseconds, memory and I/O in bytes.
 *
 * @param memoryMaxUsage the peak memory usage where the cgroup records one (v1 {@code memory.max_usage_in_bytes},
 *                       v2 {@code memory.peak} on kernels that have it)
 * @param ioServiceBytes bytes transferred per device and operation
 * @param ioServiced     operations per device and operation
 */
public record StatsSample(Instant read, long cpuTotalNanos, long cpuUserNanos, long cpuSystemNanos, List<Long> perCpuNanos,
                          long systemCpuNanos, int onlineCpus, CpuThrottling throttling, long memoryUsage,
                          OptionalLong memoryMaxUsage, long memoryLimit, Map<String, Long> memoryStat, long pids,
                          List<BlkioEntry> ioServiceBytes, List<BlkioEntry> ioServiced) {

    /** CFS bandwidth control: periods elapsed, periods in which the cgroup was throttled, time throttled (ns). */
    public record CpuThrottling(long periods, long throttledPeriods, long throttledTimeNanos) {
        public static final CpuThrottling NONE = new CpuThrottling(0, 0, 0);
    }

    /** One line of a block I/O counter: device, operation (Docker's words: Read, Write, Sync, Async, Discard, Total) and value. */
    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    /** Nothing read yet: Docker's precpu_stats before the first interval. */
    public static StatsSample empty(Instant read, int onlineCpus) {
        return new StatsSample(read, 0, 0, 0, List.of(), 0, onlineCpus, CpuThrottling.NONE, 0, OptionalLong.empty(), 0, Map.of(), 0,
                List.of(), List.of());
    }
}
