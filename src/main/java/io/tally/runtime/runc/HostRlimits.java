package io.tally.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How high the daemon can set a container's rlimits. runc sets them from inside the container, as root but with
 * the daemon's capabilities: without CAP_SYS_RESOURCE no hard limit may exceed the daemon's own, and even with it
 * RLIMIT_NOFILE stops at fs.nr_open. Values are Docker's: -1 is unlimited (RLIM_INFINITY).
 *
 * @param hardLimits the daemon's own hard limits by Docker ulimit name (nofile, nproc, …)
 * @param canRaise   whether the daemon has CAP_SYS_RESOURCE in its effective set
 * @param nrOpen     /proc/sys/fs/nr_open
 */
public record HostRlimits(Map<String, Long> hardLimits, boolean canRaise, long nrOpen) {
    public static final long UNLIMITED = -1;
    private static final int CAP_SYS_RESOURCE = 24;

    /** The names /proc/PID/limits uses, to Docker's ulimit names. */
    private static final Map<String, String> PROC_NAMES = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"), Map.entry("Max file size", "fsize"),
            Map.entry("Max data size", "data"), Map.entry("Max stack size", "stack"),
            Map.entry("Max core file size", "core"), Map.entry("Max resident set", "rss"),
            Map.entry("Max processes", "nproc"), Map.entry("Max open files", "nofile"),
            Map.entry("Max locked memory", "memlock"), Map.entry("Max address space", "as"),
            Map.entry("Max file locks", "locks"), Map.entry("Max pending signals", "sigpending"),
            Map.entry("Max msgqueue size", "msgqueue"), Map.entry("Max nice priority", "nice"),
            Map.entry("Max realtime priority", "rtprio"), Map.entry("Max realtime timeout", "rttime"));

    public HostRlimits {
        hardLimits = Map.copyOf(hardLimits);
    }

    /** A host where the daemon may raise anything (root with CAP_SYS_RESOURCE), fs.nr_open 1048576; for tests. */
    public static HostRlimits unrestricted() {
        return new HostRlimits(Map.of(), true, 1048576);
    }

    public static HostRlimits detect() {
        try {
            long capEff = Capabilities.parseStatus(Files.readString(Path.of("/proc/self/status")), "CapEff");
            long nrOpen = Long.parseLong(Files.readString(Path.of("/proc/sys/fs/nr_open")).strip());
            return new HostRlimits(parseLimits(Files.readString(Path.of("/proc/self/limits"))),
                    (capEff & (1L << CAP_SYS_RESOURCE)) != 0, nrOpen);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the daemon's limits: " + e.getMessage(), e);
        }
    }

    /** The hard limits of a /proc/PID/limits text, by Docker ulimit name. */
    static Map<String, Long> parseLimits(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            for (Map.Entry<String, String> e : PROC_NAMES.entrySet()) {
                if (line.startsWith(e.getKey() + " ")) {
                    String[] values = line.substring(e.getKey().length()).strip().split("\\s+");
                    out.put(e.getValue(), values[1].equals("unlimited") ? UNLIMITED : Long.parseLong(values[1]));
                }
            }
        }
        return out;
    }

    /** The highest hard limit a container can get for this resource, or {@link #UNLIMITED}. */
    public long ceiling(String name) {
        if (canRaise) {
            return name.equals("nofile") ? nrOpen : UNLIMITED;
        }
        return hardLimits.getOrDefault(name, UNLIMITED);
    }

    /** Whether {@code value} (-1 unlimited) is above {@code ceiling} (-1 unlimited). */
    static boolean exceeds(long value, long ceiling) {
        return ceiling != UNLIMITED && (value == UNLIMITED || value > ceiling);
    }
}
