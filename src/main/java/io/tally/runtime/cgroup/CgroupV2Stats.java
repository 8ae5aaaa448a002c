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

/** A container's counters from cgroup v2: one directory, microseconds for CPU, io.stat for block I/O. */
final class CgroupV2Stats {

    private CgroupV2Stats() {
    }

    static StatsSample sample(CgroupDirs dirs, String id, long systemCpuNanos, int onlineCpus) {
        Path dir = dirs.dir(id, "");
        Map<String, Long> cpu = keyed(dir.resolve("cpu.stat"));
        String io = read(dir.resolve("io.stat"));
        return new StatsSample(Instant.now(), cpu.getOrDefault("usage_usec", 0L) * 1000, cpu.getOrDefault("user_usec", 0L) * 1000,
                cpu.getOrDefault("system_usec", 0L) * 1000, List.of(), systemCpuNanos, onlineCpus,
                new CpuThrottling(cpu.getOrDefault("nr_periods", 0L), cpu.getOrDefault("nr_throttled", 0L),
                        cpu.getOrDefault("throttled_usec", 0L) * 1000),
                number(dir.resolve("memory.current")), CgroupFiles.optionalNumber(dir.resolve("memory.peak")),
                CgroupFiles.memoryLimit(dir.resolve("memory.max")), keyed(dir.resolve("memory.stat")), number(dir.resolve("pids.current")),
                ioEntries(io, "rbytes", "wbytes"), ioEntries(io, "rios", "wios"));
    }

    /**
     * io.stat lines "MAJOR:MINOR rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" as Docker shows them on
     * v2: one "read" and one "write" entry per device.
     */
    static List<BlkioEntry> ioEntries(String ioStat, String readKey, String writeKey) {
        List<BlkioEntry> entries = new ArrayList<>();
        for (String line : ioStat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            String[] device = f[0].split(":");
            if (device.length != 2) {
                continue;
            }
            long major = Long.parseLong(device[0]);
            long minor = Long.parseLong(device[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length == 2 && (kv[0].equals(readKey) || kv[0].equals(writeKey))) {
                    entries.add(new BlkioEntry(major, minor, kv[0].equals(readKey) ? "read" : "write", Long.parseLong(kv[1])));
                }
            }
        }
        return entries;
    }
}
