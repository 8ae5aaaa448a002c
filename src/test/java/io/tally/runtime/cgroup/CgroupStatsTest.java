package io.tally.runtime.cgroup;

import io.tally.runtime.cgroup.StatsSample.BlkioEntry;
import io.tally.runtime.cgroup.StatsSample.CpuThrottling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stats read from fixture cgroup trees laid out as v1 (one dir per controller) and v2 (one unified dir). */
class CgroupStatsTest {
    private static final String ID = "c0ffee";

    @Test
    void v1CountersComeFromEachController(@TempDir Path root) throws IOException {
        write(root, "cpuacct", "cpuacct.usage", "5000000\n");
        write(root, "cpuacct", "cpuacct.usage_percpu", "3000000 2000000 \n");
        write(root, "cpuacct", "cpuacct.stat", "user 30\nsystem 20\n");
        write(root, "cpu", "cpu.stat", "nr_periods 41\nnr_throttled 7\nthrottled_time 123456789\nnr_bursts 0\n");
        write(root, "memory", "memory.usage_in_bytes", "1048576\n");
        write(root, "memory", "memory.max_usage_in_bytes", "4194304\n");
        write(root, "memory", "memory.limit_in_bytes", "67108864\n");
        write(root, "memory", "memory.stat", "cache 4096\nrss 8192\ntotal_inactive_file 512\n");
        write(root, "pids", "pids.current", "3\n");
        write(root, "blkio", "blkio.throttle.io_service_bytes_recursive",
                "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 12288\n8:0 Async 0\n8:0 Discard 0\n8:0 Total 12288\nTotal 12288\n");
        write(root, "blkio", "blkio.throttle.io_serviced_recursive", "8:0 Read 1\n8:0 Write 2\nTotal 3\n");
        write(root, "blkio", "blkio.io_service_bytes_recursive", "Total 0\n");

        StatsSample s = CgroupV1Stats.sample(new CgroupDirs(root), ID, 99, 2);

        assertEquals(5_000_000, s.cpuTotalNanos());
        assertEquals(List.of(3_000_000L, 2_000_000L), s.perCpuNanos());
        assertEquals(300_000_000, s.cpuUserNanos());
        assertEquals(200_000_000, s.cpuSystemNanos());
        assertEquals(new CpuThrottling(41, 7, 123456789), s.throttling());
        assertEquals(1_048_576, s.memoryUsage());
        assertEquals(OptionalLong.of(4_194_304), s.memoryMaxUsage());
        assertEquals(67_108_864, s.memoryLimit());
        assertEquals(8192L, s.memoryStat().get("rss"));
        assertEquals(3, s.pids());
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 4096), new BlkioEntry(8, 0, "Write", 8192), new BlkioEntry(8, 0, "Sync", 12288),
                new BlkioEntry(8, 0, "Async", 0), new BlkioEntry(8, 0, "Discard", 0), new BlkioEntry(8, 0, "Total", 12288)),
                s.ioServiceBytes(), "the throttle counters, as the cfq file has no device line; the grand total is no device's");
        assertEquals(List.of(new BlkioEntry(8, 0, "Read", 1), new BlkioEntry(8, 0, "Write", 2)), s.ioServiced());
    }

    @Test
    void v1PrefersTheSchedulerAccountingWhereItHasDevices(@TempDir Path root) throws IOException {
        write(root, "blkio", "blkio.bfq.io_service_bytes_recursive", "253:1 Read 10\nTotal 10\n");
        write(root, "blkio", "blkio.throttle.io_service_bytes_recursive", "253:1 Read 99\nTotal 99\n");

        StatsSample s = CgroupV1Stats.sample(new CgroupDirs(root), ID, 0, 1);

        assertEquals(List.of(new BlkioEntry(253, 1, "Read", 10)), s.ioServiceBytes());
        assertEquals(OptionalLong.empty(), s.memoryMaxUsage());
        assertEquals(CpuThrottling.NONE, s.throttling());
    }

    @Test
    void v2CountersComeFromTheUnifiedDirectory(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu io memory pids\n");
        write(root, "", "cpu.stat", "usage_usec 2500\nuser_usec 1500\nsystem_usec 1000\nnr_periods 10\nnr_throttled 4\nthrottled_usec 750\n");
        write(root, "", "memory.current", "2097152\n");
        write(root, "", "memory.max", "max\n");
        write(root, "", "memory.stat", "anon 4096\nfile 8192\n");
        write(root, "", "pids.current", "5\n");
        write(root, "", "io.stat", "8:16 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0\n");

        StatsSample s = CgroupV2Stats.sample(new CgroupDirs(root), ID, 0, 4);

        assertEquals(2_500_000, s.cpuTotalNanos());
        assertEquals(1_500_000, s.cpuUserNanos());
        assertEquals(1_000_000, s.cpuSystemNanos());
        assertEquals(new CpuThrottling(10, 4, 750_000), s.throttling());
        assertEquals(2_097_152, s.memoryUsage());
        assertEquals(OptionalLong.empty(), s.memoryMaxUsage(), "no memory.peak on this kernel: unknown, not a copy of usage");
        assertTrue(s.memoryLimit() > 0, "max shows the host's memory");
        assertEquals(4096L, s.memoryStat().get("anon"));
        assertEquals(5, s.pids());
        assertEquals(List.of(new BlkioEntry(8, 16, "read", 1024), new BlkioEntry(8, 16, "write", 2048)), s.ioServiceBytes());
        assertEquals(List.of(new BlkioEntry(8, 16, "read", 3), new BlkioEntry(8, 16, "write", 4)), s.ioServiced());
    }

    @Test
    void v2PeakIsReadWhereTheKernelKeepsIt(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "memory\n");
        write(root, "", "memory.peak", "3145728\n");
        write(root, "", "memory.max", "16777216\n");

        StatsSample s = CgroupV2Stats.sample(new CgroupDirs(root), ID, 0, 1);

        assertEquals(OptionalLong.of(3_145_728), s.memoryMaxUsage());
        assertEquals(16_777_216, s.memoryLimit());
    }

    private static void write(Path root, String controller, String file, String content) throws IOException {
        Path dir = new CgroupDirs(root).dir(ID, controller);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content);
    }
}
