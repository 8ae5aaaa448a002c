package io.tally.runtime.runc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the OCI runtime spec (1.0.2, as runc 1.1 reads it) that Docker (moby) would produce for the same
 * {@code docker run} flags: its default mounts, masked and read-only paths, namespaces, device rules, capabilities,
 * rlimits, default sysctls and resource limits; see {@link Mounts}, {@link Capabilities}, {@link ProcessEnv} and
 * {@link ResourceLimits} for the parts. Host facts come in through the constructor so that tests can cover cgroup
 * v1 and v2 hosts.
 *
 * <p>Deliberately left out: no seccomp profile (Docker's default profile is future work; the container runs
 * unconfined by seccomp), no AppArmor or SELinux label (AppArmor may not be loaded on the host), and a privileged
 * container gets "allow all" device access but not the host's device nodes.
 */
public final class OciSpecBuilder {
    public static final String OCI_VERSION = "1.0.2";
    /** Docker's effective default for RLIMIT_NOFILE (dockerd's own, LimitNOFILE=infinity under systemd). */
    public static final long DEFAULT_NOFILE = 1048576;

    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    private static final Set<String> ULIMITS = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final BigInteger RLIM_INFINITY = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final HostCgroups cgroups;
    private final Capabilities capabilities;
    private final HostRlimits rlimits;

    public OciSpecBuilder(HostCgroups cgroups, Capabilities capabilities, HostRlimits rlimits) {
        this.cgroups = cgroups;
        this.capabilities = capabilities;
        this.rlimits = rlimits;
    }

    /** A builder for the host this JVM runs on (cgroups, bounding set and rlimits of this process). */
    public static OciSpecBuilder forThisHost() {
        return new OciSpecBuilder(HostCgroups.detect(), Capabilities.ofThisHost(), HostRlimits.detect());
    }

    /**
     * @param user the identity {@link UserResolver} resolved for {@code spec.user()} and {@code spec.groupAdd()}
     * @throws IllegalArgumentException a flag Docker would refuse, with Docker's message where it has one
     */
    public OciConfig build(ContainerSpec spec, ResolvedUser user) {
        List<String> warnings = new ArrayList<>();
        ObjectNode root = JSON.objectNode();
        root.put("ociVersion", OCI_VERSION);
        root.set("process", process(spec, user, warnings));
        ObjectNode rootfs = root.putObject("root");
        rootfs.put("path", spec.rootfs().toString());
        rootfs.put("readonly", spec.readonlyRootfs());
        root.put("hostname", spec.hostname());

        Mounts.Result mounts = Mounts.forContainer(spec);
        ArrayNode mountArray = root.putArray("mounts");
        for (Mounts.Mount m : mounts.mounts()) {
            ObjectNode node = mountArray.addObject();
            node.put("destination", m.destination());
            node.put("type", m.type());
            node.put("source", m.source());
            strings(node.putArray("options"), m.options());
        }

        ObjectNode linux = root.putObject("linux");
        ObjectNode sysctl = linux.putObject("sysctl");
        sysctls(spec).forEach(sysctl::put);
        ObjectNode resources = ResourceLimits.toJson(spec, cgroups, warnings);
        resources.set("devices", devices(spec.privileged()));
        linux.set("resources", reorder(resources, "devices"));
        if (spec.cgroupsPath() != null && !spec.cgroupsPath().isEmpty()) {
            linux.put("cgroupsPath", spec.cgroupsPath());
        }
        linux.set("namespaces", namespaces(spec));
        if (mounts.rootfsPropagation() != null) {
            linux.put("rootfsPropagation", mounts.rootfsPropagation());
        }
        if (!spec.privileged()) {
            strings(linux.putArray("maskedPaths"), MASKED_PATHS);
            strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
        }
        // No "seccomp": Docker's default profile is not implemented yet, so containers are not seccomp-confined.
        return new OciConfig(root, warnings);
    }

    private ObjectNode process(ContainerSpec spec, ResolvedUser user, List<String> warnings) {
        ObjectNode process = JSON.objectNode();
        process.put("terminal", spec.tty());
        ObjectNode u = process.putObject("user");
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        ArrayNode gids = u.putArray("additionalGids");
        user.additionalGids().forEach(gids::add);
        strings(process.putArray("args"), spec.args());
        strings(process.putArray("env"), ProcessEnv.of(spec, user));
        process.put("cwd", spec.cwd());
        // Docker 23+: no inheritable (and no ambient) capabilities, so exec'd programs cannot regain them
        List<String> caps = capabilities.resolve(spec.privileged(), spec.capAdd(), spec.capDrop());
        ObjectNode c = process.putObject("capabilities");
        strings(c.putArray("bounding"), caps);
        strings(c.putArray("effective"), caps);
        strings(c.putArray("permitted"), caps);
        process.set("rlimits", rlimits(spec.ulimits(), warnings));
        process.put("noNewPrivileges", false);
        process.put("oomScoreAdj", spec.oomScoreAdj());
        return process;
    }

    /** --ulimit entries, then Docker's default RLIMIT_NOFILE unless given (lowered to what the host allows). */
    private ArrayNode rlimits(List<ContainerSpec.Ulimit> ulimits, List<String> warnings) {
        Map<String, ContainerSpec.Ulimit> byName = new LinkedHashMap<>();
        for (ContainerSpec.Ulimit ul : ulimits) {
            String name = ul.name().toLowerCase(Locale.ROOT);
            if (!ULIMITS.contains(name)) {
                throw new IllegalArgumentException("invalid ulimit type: " + ul.name());
            }
            if (ul.soft() < -1 || ul.hard() < -1) {
                throw new IllegalArgumentException("invalid ulimit " + name + ": values must be -1 (unlimited) or more");
            }
            if (HostRlimits.exceeds(ul.soft(), ul.hard())) {
                throw new IllegalArgumentException("ulimit soft limit must be less than or equal to hard limit: "
                        + ul.soft() + " > " + ul.hard());
            }
            long ceiling = rlimits.ceiling(name);
            if (HostRlimits.exceeds(ul.hard(), ceiling)) {
                throw new IllegalArgumentException("ulimit " + name + "=" + ul.soft() + ":" + ul.hard()
                        + " is above what this host allows the daemon to grant (" + ceiling + ")");
            }
            byName.put(name, new ContainerSpec.Ulimit(name, ul.soft(), ul.hard()));
        }
        if (!byName.containsKey("nofile")) {
            long nofile = DEFAULT_NOFILE;
            long ceiling = rlimits.ceiling("nofile");
            if (HostRlimits.exceeds(nofile, ceiling)) {
                warnings.add("RLIMIT_NOFILE lowered from Docker's default " + DEFAULT_NOFILE + " to " + ceiling
                        + ": the daemon cannot raise its own hard limit (no CAP_SYS_RESOURCE)");
                nofile = ceiling;
            }
            byName.put("nofile", new ContainerSpec.Ulimit("nofile", nofile, nofile));
        }
        ArrayNode out = JSON.arrayNode();
        for (ContainerSpec.Ulimit ul : byName.values()) {
            ObjectNode r = out.addObject();
            r.put("type", "RLIMIT_" + ul.name().toUpperCase(Locale.ROOT));
            r.put("hard", rlimitValue(ul.hard()));
            r.put("soft", rlimitValue(ul.soft()));
        }
        return out;
    }

    /**
     * Docker's defaults for a container with its own network namespace (unprivileged ping, any port without
     * CAP_NET_BIND_SERVICE), where the kernel has them, then the --sysctl values, which win. Only namespaced
     * sysctls are accepted: anything else would change the host.
     */
    private Map<String, String> sysctls(ContainerSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (hostHasSysctl("net/ipv4/ping_group_range") && !inUserNamespace()) {
            out.put("net.ipv4.ping_group_range", "0 2147483647");
        }
        if (hostHasSysctl("net/ipv4/ip_unprivileged_port_start")) {
            out.put("net.ipv4.ip_unprivileged_port_start", "0");
        }
        for (Map.Entry<String, String> e : spec.sysctls().entrySet()) {
            String key = e.getKey();
            if (!IPC_SYSCTLS.contains(key) && !key.startsWith("fs.mqueue.") && !key.startsWith("net.")) {
                throw new IllegalArgumentException("sysctl '" + key + "' is not allowed: only namespaced sysctls "
                        + "(kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*, net.*) can be set for a container");
            }
            out.put(key, e.getValue());
        }
        return out;
    }

    private ArrayNode namespaces(ContainerSpec spec) {
        ArrayNode ns = JSON.arrayNode();
        ns.addObject().put("type", "mount");
        ObjectNode net = ns.addObject().put("type", "network");
        if (spec.networkNamespacePath() != null && !spec.networkNamespacePath().isEmpty()) {
            net.put("path", spec.networkNamespacePath());
        }
        ns.addObject().put("type", "uts");
        ns.addObject().put("type", "pid");
        ns.addObject().put("type", "ipc");
        if (cgroups.v2()) {
            // Docker's default cgroupns mode is "private" on cgroup v2 hosts and "host" on v1
            ns.addObject().put("type", "cgroup");
        }
        return ns;
    }

    /**
     * Device cgroup rules: deny everything, then allow what Docker's containers may use (runc appends this same
     * list itself; it is spelled out so the spec says what it means). --privileged allows everything.
     */
    private static ArrayNode devices(boolean privileged) {
        ArrayNode d = JSON.arrayNode();
        device(d, false, null, null, null, "rwm");
        if (privileged) {
            device(d, true, null, null, null, "rwm");
            return d;
        }
        device(d, true, "c", null, null, "m");
        device(d, true, "b", null, null, "m");
        device(d, true, "c", 1L, 3L, "rwm");    // /dev/null
        device(d, true, "c", 1L, 8L, "rwm");    // /dev/random
        device(d, true, "c", 1L, 7L, "rwm");    // /dev/full
        device(d, true, "c", 5L, 0L, "rwm");    // /dev/tty
        device(d, true, "c", 1L, 5L, "rwm");    // /dev/zero
        device(d, true, "c", 1L, 9L, "rwm");    // /dev/urandom
        device(d, true, "c", 5L, 1L, "rwm");    // /dev/console
        device(d, true, "c", 136L, null, "rwm"); // /dev/pts/*
        device(d, true, "c", 5L, 2L, "rwm");    // /dev/ptmx
        device(d, true, "c", 10L, 200L, "rwm"); // /dev/net/tun
        return d;
    }

    private static void device(ArrayNode d, boolean allow, String type, Long major, Long minor, String access) {
        ObjectNode rule = d.addObject();
        rule.put("allow", allow);
        if (type != null) {
            rule.put("type", type);
        }
        if (major != null) {
            rule.put("major", major);
        }
        if (minor != null) {
            rule.put("minor", minor);
        }
        rule.put("access", access);
    }

    private static ObjectNode reorder(ObjectNode node, String first) {
        ObjectNode out = JSON.objectNode();
        out.set(first, node.get(first));
        node.properties().forEach(e -> {
            if (!e.getKey().equals(first)) {
                out.set(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static BigInteger rlimitValue(long value) {
        return value == HostRlimits.UNLIMITED ? RLIM_INFINITY : BigInteger.valueOf(value);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static boolean hostHasSysctl(String path) {
        return Files.exists(Path.of("/proc/sys").resolve(path));
    }

    /** Docker's userns.RunningInUserNS(): a uid map other than the full identity one. */
    private static boolean inUserNamespace() {
        try {
            String map = Files.readString(Path.of("/proc/self/uid_map")).strip();
            return !map.matches("0\\s+0\\s+4294967295");
        } catch (IOException e) {
            return false;
        }
    }
}
