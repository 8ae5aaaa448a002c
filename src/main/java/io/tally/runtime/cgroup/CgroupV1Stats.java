package io.tally.runtime.cgroup;

import io.tally.runtime.cgroup.StatsSample.BlkioEntry;
import io.tally.runtime.cgroup.StatsSample.CpuThrottling;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tally.runtime.cgroup.CgroupFiles.keyed;
import static io.tally.runtime.cgroup.CgroupFiles.number;
import static io.tally.runtime.cgroup.CgroupFiles.read;

/** A container's counters from cgroup v1: one directory per controller. */
final class CgroupV1Stats {
    private static final long USER_HZ = 100;
    /**
     * Block I/O counters in the order runc reads them: the bfq and cfq schedulers' accounting where a
     * scheduler keeps one, else the throttle layer's, which every blkio hierarchy has.
     */
    private static final List<String> BLKIO_PREFIXES = List.of("blkio.bfq.", "blkio.", "blkio.throttle.");

    private CgroupV1Stats() {
    }

    static StatsSample sample(CgroupDirs dirs, String id, long systemCpuNanos, int onlineCpus) {
        Path cpuacct = dirs.dir(id, "cpuacct");
        Path memory = dirs.dir(id, "memory");
        Path blkio = dirs.dir(id, "blkio");
        Map<String, Long> ticks = keyed(cpuacct.resolve("cpuacct.stat"));
        Map<String, Long> cpuStat = keyed(dirs.dir(id, "cpu").resolve("cpu.stat"));
        return new StatsSample(Instant.now(), number(cpuacct.resolve("cpuacct.usage")),
                ticks.getOrDefault("user", 0L) * 1_000_000_000L / USER_HZ, ticks.getOrDefault("system", 0L) * 1_000_000_000L / USER_HZ,
                perCpu(cpuacct.resolve("cpuacct.usage_percpu")), systemCpuNanos, onlineCpus,
                new CpuThrottling(cpuStat.getOrDefault("nr_periods", 0L), cpuStat.getOrDefault("nr_throttled", 0L),
                        cpuStat.getOrDefault("throttled_time", 0L)),
                number(memory.resolve("memory.usage_in_bytes")), CgroupFiles.optionalNumber(memory.resolve("memory.max_usage_in_bytes")),
                CgroupFiles.memoryLimit(memory.resolve("memory.limit_in_bytes")), keyed(memory.resolve("memory.stat")),
                number(dirs.dir(id, "pids").resolve("pids.current")),
                blkio(blkio, "io_service_bytes_recursive"), blkio(blkio, "io_serviced_recursive"));
    }

    private static List<Long> perCpu(Path file) {
        List<Long> perCpu = new ArrayList<>();
        for (String v : read(file).trim().split("\\s+")) {
            if (!v.isBlank()) {
                perCpu.add(Long.parseLong(v));
            }
        }
        return perCpu;
    }

    private static List<BlkioEntry> blkio(Path dir, String counter) {
        for (String prefix : BLKIO_PREFIXES) {
            List<BlkioEntry> entries = blkioEntries(read(dir.resolve(prefix + counter)));
            if (!entries.isEmpty()) {
                return entries;
            }
        }
        return List.of();
    }

    /** Lines "MAJOR:MINOR Op value"; the last line "Total N" sums all devices and is not a device's. */
    static List<BlkioEntry> blkioEntries(String content) {
        List<BlkioEntry> entries = new ArrayList<>();
        for (String line : content.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            String[] device = f[0].split(":");
            if (device.length != 2) {
                continue;
            }
            try {
                entries.add(new BlkioEntry(Long.parseLong(device[0]), Long.parseLong(device[1]), f[1], Long.parseLong(f[2])));
            } catch (NumberFormatException ignored) {
                // not a device line
            }
        }
        return entries;
    }
}
