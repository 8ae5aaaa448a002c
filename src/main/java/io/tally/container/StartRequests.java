package io.tally.container;

import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runtime's view of a container to start, read from its Docker-shaped Config and HostConfig. */
final class StartRequests {
    private StartRequests() {
    }

    static ContainerRuntime.StartRequest of(String id, Map<String, Object> config, Map<String, Object> hostConfig) {
        Map<String, Object> hc = hostConfig == null ? Map.of() : hostConfig;
        List<String> args = new ArrayList<>();
        args.addAll(strings(config.get("Entrypoint")));
        args.addAll(strings(config.get("Cmd")));
        Map<?, ?> logOpts = hc.get("LogConfig") instanceof Map<?, ?> lc && lc.get("Config") instanceof Map<?, ?> opts ? opts : Map.of();
        return new ContainerRuntime.StartRequest(
                id,
                text(config.get("Hostname"), id.substring(0, 12)),
                args,
                strings(config.get("Env")),
                text(config.get("WorkingDir"), "/"),
                text(config.get("User"), ""),
                bool(config.get("Tty")),
                bool(config.get("OpenStdin")),
                bool(config.get("StdinOnce")),
                bool(hc.get("Privileged")),
                strings(hc.get("CapAdd")),
                strings(hc.get("CapDrop")),
                new ContainerRuntime.Resources(num(hc.get("Memory")), num(hc.get("MemorySwap")), num(hc.get("CpuShares")),
                        num(hc.get("CpuQuota")), num(hc.get("CpuPeriod")), num(hc.get("NanoCpus")),
                        blankToNull(hc.get("CpusetCpus")), blankToNull(hc.get("CpusetMems")), num(hc.get("PidsLimit"))),
                binds(strings(hc.get("Binds"))),
                bool(hc.get("ReadonlyRootfs")),
                LogOptions.maxSize(logOpts.get("max-size")),
                LogOptions.maxFiles(logOpts.get("max-file")));
    }

    private static List<ContainerRuntime.BindMount> binds(List<String> specs) {
        List<ContainerRuntime.BindMount> out = new ArrayList<>();
        for (String spec : specs) {
            String[] p = spec.split(":");
            if (p.length < 2 || !p[0].startsWith("/") || !p[1].startsWith("/")) {
                throw DomainException.invalid("invalid bind mount spec \"" + spec + "\": expected /host/path:/container/path[:ro]");
            }
            out.add(new ContainerRuntime.BindMount(p[0], p[1], p.length > 2 && List.of(p[2].split(",")).contains("ro")));
        }
        return out;
    }

    static List<String> strings(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return o == null ? List.of() : List.of(o.toString());
    }

    private static String text(Object o, String dflt) {
        return o == null || o.toString().isEmpty() ? dflt : o.toString();
    }

    private static String blankToNull(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString();
    }

    private static boolean bool(Object o) {
        return o instanceof Boolean b ? b : o != null && Boolean.parseBoolean(o.toString());
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** `--log-opt max-size=10m max-file=3`. */
    static final class LogOptions {
        private LogOptions() {
        }

        static long maxSize(Object v) {
            if (v == null || v.toString().isBlank()) {
                return 0;
            }
            String s = v.toString().trim().toLowerCase();
            long unit = switch (s.charAt(s.length() - 1)) {
                case 'k' -> 1024L;
                case 'm' -> 1024L * 1024;
                case 'g' -> 1024L * 1024 * 1024;
                default -> 1;
            };
            String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
            try {
                return Long.parseLong(digits) * unit;
            } catch (NumberFormatException e) {
                throw DomainException.invalid("invalid log-opt max-size \"" + v + "\": use a number with k, m or g");
            }
        }

        static int maxFiles(Object v) {
            if (v == null || v.toString().isBlank()) {
                return 1;
            }
            try {
                int n = Integer.parseInt(v.toString().trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw DomainException.invalid("invalid log-opt max-file \"" + v + "\": use a positive number");
            }
        }
    }
}
