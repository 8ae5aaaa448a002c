package io.tally.runtime.host;

import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** {@link HostFacts} read from /proc, /sys and /etc. */
@ApplicationScoped
public class ProcfsHostFacts implements HostFacts {

    @Override
    public String hostname() {
        return read("/proc/sys/kernel/hostname").orElse("localhost");
    }

    @Override
    public String kernelVersion() {
        return read("/proc/sys/kernel/osrelease").orElse("unknown");
    }

    @Override
    public String operatingSystem() {
        return osRelease().getOrDefault("PRETTY_NAME", "Linux");
    }

    @Override
    public String osVersion() {
        return osRelease().getOrDefault("VERSION_ID", "");
    }

    @Override
    public String architecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64" -> "x86_64";
            case "aarch64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
    }

    @Override
    public String goArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
    }

    @Override
    public int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public long memTotalBytes() {
        return read("/proc/meminfo").flatMap(m -> m.lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                        .findFirst())
                .orElse(0L);
    }

    @Override
    public String cgroupVersion() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }

    @Override
    public boolean cgroupController(String name) {
        if ("2".equals(cgroupVersion())) {
            return read("/sys/fs/cgroup/cgroup.controllers").map(c -> List.of(c.split(" ")).contains(name)).orElse(false);
        }
        return Files.isDirectory(Path.of("/sys/fs/cgroup", name));
    }

    @Override
    public boolean cpuCfs() {
        return "2".equals(cgroupVersion()) ? cgroupController("cpu")
                : Files.exists(Path.of("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"));
    }

    @Override
    public boolean swapLimit() {
        return "2".equals(cgroupVersion()) ? cgroupController("memory")
                : Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
    }

    @Override
    public boolean ipv4Forwarding() {
        return read("/proc/sys/net/ipv4/ip_forward").map("1"::equals).orElse(false);
    }

    @Override
    public boolean bridgeNfIptables() {
        return read("/proc/sys/net/bridge/bridge-nf-call-iptables").map("1"::equals).orElse(false);
    }

    @Override
    public boolean bridgeNfIp6tables() {
        return read("/proc/sys/net/bridge/bridge-nf-call-ip6tables").map("1"::equals).orElse(false);
    }

    @Override
    public int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public String filesystemType(Path dir) {
        String best = "";
        String type = "unknown";
        for (String line : read("/proc/self/mounts").orElse("").split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 2 && dir.toString().startsWith(f[1]) && f[1].length() > best.length()) {
                best = f[1];
                type = f[2];
            }
        }
        return type;
    }

    private final java.util.Map<String, Optional<String>> runtimeVersions = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Optional<String> runtimeVersion(String binary) {
        return runtimeVersions.computeIfAbsent(binary, ProcfsHostFacts::askVersion);
    }

    private static Optional<String> askVersion(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return out.lines().findFirst().map(l -> l.replaceFirst("^\\S+ version ", "").trim());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Map<String, String> osRelease() {
        return read("/etc/os-release").map(s -> s.lines()
                        .filter(l -> l.contains("="))
                        .collect(java.util.stream.Collectors.toMap(
                                l -> l.substring(0, l.indexOf('=')),
                                l -> l.substring(l.indexOf('=') + 1).replaceAll("^\"|\"$", ""),
                                (a, b) -> a)))
                .orElse(Map.of());
    }

    private static Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
