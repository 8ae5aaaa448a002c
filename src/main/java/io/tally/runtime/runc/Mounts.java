package io.tally.runtime.runc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container's mount list as Docker (moby's DefaultLinuxSpec + withMounts) builds it: its default mounts (proc,
 * /dev, devpts, sysfs, cgroup, mqueue, /dev/shm), minus those the user mounts over, then the user's bind and tmpfs
 * mounts, parents before children. A read-only rootfs makes the remaining default mounts read-only too (but
 * /proc, /dev, /dev/pts, /dev/shm and /dev/mqueue); --privileged makes /sys and the cgroup mount read-write.
 */
public final class Mounts {

    /** One entry of the spec's "mounts" array. */
    public record Mount(String destination, String type, String source, List<String> options) {
        public Mount {
            options = List.copyOf(options);
        }
    }

    /** The mounts and the rootfs propagation (null = runc's default) that shared or slave binds require. */
    public record Result(List<Mount> mounts, String rootfsPropagation) {
    }

    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final Set<String> RO_ROOTFS_EXEMPT = Set.of("/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev");
    /** Mount flags, each to the class it collides with in MergeTmpfsOptions (the later option of a class wins). */
    private static final Map<String, String> FLAG_CLASSES = Map.ofEntries(
            Map.entry("ro", "ro"), Map.entry("rw", "ro"), Map.entry("suid", "suid"), Map.entry("nosuid", "suid"),
            Map.entry("dev", "dev"), Map.entry("nodev", "dev"), Map.entry("exec", "exec"), Map.entry("noexec", "exec"),
            Map.entry("sync", "sync"), Map.entry("async", "sync"), Map.entry("dirsync", "dirsync"),
            Map.entry("remount", "remount"), Map.entry("mand", "mand"), Map.entry("nomand", "mand"),
            Map.entry("atime", "atime"), Map.entry("noatime", "atime"), Map.entry("diratime", "diratime"),
            Map.entry("nodiratime", "diratime"), Map.entry("relatime", "relatime"), Map.entry("norelatime", "relatime"),
            Map.entry("strictatime", "strictatime"), Map.entry("nostrictatime", "strictatime"),
            Map.entry("bind", "propagation"), Map.entry("rbind", "propagation"),
            Map.entry("unbindable", "propagation"), Map.entry("runbindable", "propagation"),
            Map.entry("private", "propagation"), Map.entry("rprivate", "propagation"),
            Map.entry("shared", "propagation"), Map.entry("rshared", "propagation"),
            Map.entry("slave", "propagation"), Map.entry("rslave", "propagation"));
    private static final Set<String> TMPFS_DATA = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol");

    private Mounts() {
    }

    /** Docker's default mounts, with /dev/shm sized. */
    public static List<Mount> defaults(long shmSizeBytes) {
        return List.of(
                new Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")),
                new Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("ro", "nosuid", "noexec", "nodev")),
                new Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new Mount("/dev/shm", "tmpfs", "shm",
                        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shmSizeBytes)));
    }

    public static Result forContainer(ContainerSpec spec) {
        List<Mount> user = new ArrayList<>();
        String rootfsPropagation = null;
        for (ContainerSpec.BindMount b : spec.mounts()) {
            String propagation = b.propagation() == null || b.propagation().isEmpty() ? "rprivate" : b.propagation();
            if (!PROPAGATIONS.contains(propagation)) {
                throw new IllegalArgumentException("invalid propagation mode: " + propagation);
            }
            if (!b.source().startsWith("/")) {
                throw new IllegalArgumentException("invalid mount config for type \"bind\": invalid mount path: '"
                        + b.source() + "' mount path must be absolute");
            }
            if (propagation.endsWith("shared")) {
                rootfsPropagation = "shared";
            } else if (propagation.endsWith("slave") && !"shared".equals(rootfsPropagation)) {
                rootfsPropagation = "rslave";
            }
            List<String> options = new ArrayList<>(List.of("rbind"));
            if (b.readOnly()) {
                options.add("ro");
            }
            options.add(propagation);
            user.add(new Mount(destination(b.destination()), "bind", b.source(), options));
        }
        for (Map.Entry<String, String> t : spec.tmpfs().entrySet()) {
            List<String> options = new ArrayList<>(List.of("noexec", "nosuid", "nodev", "rprivate"));
            if (t.getValue() != null && !t.getValue().isEmpty()) {
                options.addAll(List.of(t.getValue().split(",")));
            }
            user.add(new Mount(destination(t.getKey()), "tmpfs", "tmpfs", mergeTmpfsOptions(options)));
        }
        Set<String> userDestinations = new HashSet<>();
        for (Mount m : user) {
            if (!userDestinations.add(m.destination())) {
                throw new IllegalArgumentException("Duplicate mount point: " + m.destination());
            }
        }
        // parents before children; a stable sort keeps the caller's order among equals
        user.sort(Comparator.comparingInt(m -> depth(m.destination())));

        List<Mount> mounts = new ArrayList<>();
        boolean userDev = userDestinations.contains("/dev");
        for (Mount m : defaults(spec.shmSizeBytes())) {
            if (!userDestinations.contains(m.destination()) && !(userDev && m.destination().startsWith("/dev/"))) {
                mounts.add(m);
            }
        }
        mounts.addAll(user);

        for (int i = 0; i < mounts.size(); i++) {
            Mount m = mounts.get(i);
            if (spec.readonlyRootfs() && !RO_ROOTFS_EXEMPT.contains(m.destination())
                    && !userDestinations.contains(m.destination()) && !m.options().contains("ro")) {
                m = withOptions(m, append(m.options(), "ro"));
            }
            if (spec.privileged() && (m.destination().equals("/sys") || m.type().equals("cgroup"))) {
                m = withOptions(m, m.options().stream().filter(o -> !o.equals("ro")).toList());
            }
            mounts.set(i, m);
        }
        return new Result(List.copyOf(mounts), rootfsPropagation);
    }

    /**
     * moby's MergeTmpfsOptions: drops "defaults", keeps the last of colliding flags (exec/noexec, the propagation
     * modes, …) and of each key=value, in their order; refuses anything else.
     */
    public static List<String> mergeTmpfsOptions(List<String> options) {
        Set<String> seen = new HashSet<>();
        List<String> reversed = new ArrayList<>();
        for (int i = options.size() - 1; i >= 0; i--) {
            String option = options.get(i);
            if (option.equals("defaults")) {
                continue;
            }
            String key = FLAG_CLASSES.get(option);
            if (key == null) {
                int eq = option.indexOf('=');
                if (eq < 0 || !TMPFS_DATA.contains(option.substring(0, eq))) {
                    throw new IllegalArgumentException("Invalid tmpfs option \"" + option + "\"");
                }
                key = "data:" + option.substring(0, eq);
            }
            if (seen.add(key)) {
                reversed.add(option);
            }
        }
        return reversed.reversed();
    }

    /** A clean absolute container path ("//a/./b/" to "/a/b"); "/" and relative paths are refused. */
    static String destination(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("invalid mount path: '" + path + "' mount path must be absolute");
        }
        String clean = java.nio.file.Path.of(path).normalize().toString();
        if (clean.equals("/")) {
            throw new IllegalArgumentException("invalid specification: destination can't be '/'");
        }
        return clean;
    }

    private static int depth(String destination) {
        return (int) destination.chars().filter(c -> c == '/').count();
    }

    private static Mount withOptions(Mount m, List<String> options) {
        return new Mount(m.destination(), m.type(), m.source(), options);
    }

    private static List<String> append(List<String> list, String item) {
        List<String> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }
}
