package io.tally.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** Reading cgroup files: a missing or unreadable file reads as empty, because controllers differ between hosts. */
final class CgroupFiles {
    private CgroupFiles() {
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static long number(Path p) {
        return optionalNumber(p).orElse(0);
    }

    static OptionalLong optionalNumber(Path p) {
        String v = read(p).trim();
        try {
            return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** "key value" lines (cpu.stat, memory.stat, cpuacct.stat). */
    static Map<String, Long> keyed(Path p) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : read(p).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    m.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return m;
    }

    /** A memory limit; "max" or v1's page-aligned "no limit" number shows the host's memory, as Docker does. */
    static long memoryLimit(Path p) {
        String v = read(p).trim();
        long total = memTotal();
        if (v.isEmpty() || v.equals("max")) {
            return total;
        }
        try {
            return Math.min(Long.parseLong(v), total);
        } catch (NumberFormatException e) {
            return total;
        }
    }

    private static long memTotal() {
        for (String line : read(Path.of("/proc/meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return Long.MAX_VALUE;
    }
}
