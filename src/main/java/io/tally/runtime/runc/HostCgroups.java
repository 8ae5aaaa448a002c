package io.tally.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * What the host's cgroups offer containers, the parts of Docker's sysinfo the spec builder needs: the cgroup
 * version (v2 = /sys/fs/cgroup is the unified hierarchy; hybrid hosts count as v1, like Docker and runc), which
 * limits the kernel supports, and the CPUs and memory nodes the daemon may use (its own Cpus_allowed_list and
 * Mems_allowed_list).
 */
public record HostCgroups(boolean v2, boolean swapLimit, boolean cpuCfs, boolean blkioWeight, String cpus,
                          String mems) {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    public HostCgroups {
        cpuList(cpus);
        cpuList(mems);
    }

    /** A cgroup v1 (or hybrid) host supporting every limit, with the given CPUs; for tests. */
    public static HostCgroups v1(String cpus) {
        return new HostCgroups(false, true, true, true, cpus, "0");
    }

    /** A cgroup v2 host supporting every limit, with the given CPUs; for tests. */
    public static HostCgroups v2(String cpus) {
        return new HostCgroups(true, true, true, true, cpus, "0");
    }

    public static HostCgroups detect() {
        String status = read(Path.of("/proc/self/status"));
        String cpus = statusField(status, "Cpus_allowed_list");
        String mems = statusField(status, "Mems_allowed_list");
        if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
            List<String> controllers = List.of(read(ROOT.resolve("cgroup.controllers")).strip().split("\\s+"));
            return new HostCgroups(true, controllers.contains("memory"), controllers.contains("cpu"),
                    controllers.contains("io"), cpus, mems);
        }
        return new HostCgroups(false,
                Files.exists(ROOT.resolve("memory/memory.memsw.limit_in_bytes")),
                Files.exists(ROOT.resolve("cpu/cpu.cfs_quota_us")),
                Files.exists(ROOT.resolve("blkio/blkio.weight")) || Files.exists(ROOT.resolve("blkio/blkio.bfq.weight")),
                cpus, mems);
    }

    /** How many CPUs the daemon may use (Docker's runtime.NumCPU()). */
    public int cpuCount() {
        return cpuList(cpus).size();
    }

    /**
     * A kernel cpu list ("0-3,6", "" for none) as a set.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static TreeSet<Integer> cpuList(String list) {
        TreeSet<Integer> out = new TreeSet<>();
        if (list == null || list.isEmpty()) {
            return out;
        }
        for (String part : list.split(",", -1)) {
            String[] range = part.split("-", -1);
            if (range.length > 2 || !range[0].matches("[0-9]{1,5}")
                    || (range.length == 2 && !range[1].matches("[0-9]{1,5}"))) {
                throw new IllegalArgumentException("invalid cpu list: " + list);
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            if (to < from) {
                throw new IllegalArgumentException("invalid cpu list: " + list);
            }
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }

    private static String statusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).strip();
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
