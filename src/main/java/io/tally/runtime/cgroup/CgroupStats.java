package io.tally.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a {@link StatsSample} from a container's cgroup files (v1 or v2) and the host's CPU time from /proc. */
final class CgroupStats {
    private static final long USER_HZ = 100;

    private CgroupStats() {
    }

    static StatsSample sample(CgroupDirs dirs, String containerId) throws IOException {
        long system = systemCpuNanos();
        int cpus = Runtime.getRuntime().availableProcessors();
        return dirs.isUnified() ? CgroupV2Stats.sample(dirs, containerId, system, cpus) : CgroupV1Stats.sample(dirs, containerId, system, cpus);
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
}
