package io.tally.runtime.runc;

import io.tally.runtime.ContainerRuntime.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a container is to run, in Docker's terms (the flags of {@code docker run}), already resolved against its
 * image: {@code args} is the final entrypoint+cmd, {@code env} the image env merged with {@code -e}, {@code rootfs}
 * the mounted overlay. {@link OciSpecBuilder} turns it into runc's config.json.
 *
 * <p>{@code openStdin} is carried for the caller (stdio wiring); like Docker's, the spec has no field for it.
 *
 * <p>Zero / null / empty means "not set" everywhere; the compact constructor fills Docker's defaults
 * ({@code cwd "/"}, 64 MiB {@code /dev/shm}) and makes the collections immutable.
 *
 * <p>{@code resources} are the runtime's own ({@link Resources}); {@code memoryReservationBytes} and
 * {@code blkioWeight} are the two Docker limits the runtime's start does not carry yet.
 */
public record ContainerSpec(
        String id,
        String hostname,
        List<String> args,
        List<String> env,
        String cwd,
        String user,
        boolean tty,
        boolean openStdin,
        boolean privileged,
        List<String> capAdd,
        List<String> capDrop,
        boolean readonlyRootfs,
        Path rootfs,
        List<BindMount> mounts,
        Map<String, String> tmpfs,
        Resources resources,
        String cgroupsPath,
        String networkNamespacePath,
        List<Ulimit> ulimits,
        Map<String, String> sysctls,
        long shmSizeBytes,
        List<String> groupAdd,
        int oomScoreAdj,
        long memoryReservationBytes,
        int blkioWeight) {

    public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");

    public ContainerSpec {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("container id must be 64 lower-case hex digits: " + id);
        }
        Objects.requireNonNull(rootfs, "rootfs");
        hostname = hostname == null || hostname.isEmpty() ? id.substring(0, 12) : hostname;
        args = List.copyOf(Objects.requireNonNull(args, "args"));
        if (args.isEmpty()) {
            throw new IllegalArgumentException("No command specified");
        }
        env = env == null ? List.of() : List.copyOf(env);
        cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
        }
        user = user == null ? "" : user;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        tmpfs = tmpfs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tmpfs));
        resources = resources == null ? Resources.NONE : resources;
        ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
        sysctls = sysctls == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        if (shmSizeBytes < 0) {
            throw new IllegalArgumentException("SHM size can not be less than 0");
        }
        shmSizeBytes = shmSizeBytes == 0 ? DEFAULT_SHM_SIZE : shmSizeBytes;
        groupAdd = groupAdd == null ? List.of() : List.copyOf(groupAdd);
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new IllegalArgumentException("Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
        }
    }

    /** A fresh builder with Docker's defaults; {@code id}, {@code rootfs} and {@code args} are required. */
    public static Builder builder(String id, Path rootfs, List<String> args) {
        return new Builder(id, rootfs, args);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id, rootfs, args);
        b.hostname = hostname;
        b.env = env;
        b.cwd = cwd;
        b.user = user;
        b.tty = tty;
        b.openStdin = openStdin;
        b.privileged = privileged;
        b.capAdd = capAdd;
        b.capDrop = capDrop;
        b.readonlyRootfs = readonlyRootfs;
        b.mounts = new ArrayList<>(mounts);
        b.tmpfs = new LinkedHashMap<>(tmpfs);
        b.resources = resources;
        b.cgroupsPath = cgroupsPath;
        b.networkNamespacePath = networkNamespacePath;
        b.ulimits = ulimits;
        b.sysctls = sysctls;
        b.shmSizeBytes = shmSizeBytes;
        b.groupAdd = groupAdd;
        b.oomScoreAdj = oomScoreAdj;
        b.memoryReservationBytes = memoryReservationBytes;
        b.blkioWeight = blkioWeight;
        return b;
    }

    /**
     * The hook for Docker's per-container network files: returns a copy that also bind-mounts the given host
     * files (any may be null) at /etc/hostname, /etc/hosts and /etc/resolv.conf, like Docker's NetworkMounts:
     * writable unless the rootfs is read-only, and skipped where the container already mounts something there.
     */
    public ContainerSpec withNetworkFiles(Path hostnameFile, Path hostsFile, Path resolvConfFile) {
        Builder b = toBuilder();
        addNetworkFile(b, resolvConfFile, "/etc/resolv.conf");
        addNetworkFile(b, hostnameFile, "/etc/hostname");
        addNetworkFile(b, hostsFile, "/etc/hosts");
        return b.build();
    }

    private void addNetworkFile(Builder b, Path source, String destination) {
        boolean taken = mounts.stream().anyMatch(m -> m.destination().equals(destination))
                || tmpfs.containsKey(destination);
        if (source != null && !taken) {
            b.mounts.add(new BindMount(source.toString(), destination, readonlyRootfs, null));
        }
    }

    /** A {@code -v SOURCE:DEST[:ro][,propagation]} bind mount; {@code propagation} null means Docker's rprivate. */
    public record BindMount(String source, String destination, boolean readOnly, String propagation) {
        public BindMount {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** {@code --ulimit NAME=SOFT[:HARD]}, Docker's names (nofile, nproc, core, …); -1 is unlimited. */
    public record Ulimit(String name, long soft, long hard) {
    }

    /** Fluent construction of a {@link ContainerSpec}; unset fields keep Docker's defaults. */
    public static final class Builder {
        private final String id;
        private final Path rootfs;
        private final List<String> args;
        private String hostname;
        private List<String> env = List.of();
        private String cwd = "/";
        private String user = "";
        private boolean tty;
        private boolean openStdin;
        private boolean privileged;
        private List<String> capAdd = List.of();
        private List<String> capDrop = List.of();
        private boolean readonlyRootfs;
        private List<BindMount> mounts = new ArrayList<>();
        private Map<String, String> tmpfs = new LinkedHashMap<>();
        private Resources resources = Resources.NONE;
        private String cgroupsPath;
        private String networkNamespacePath;
        private List<Ulimit> ulimits = List.of();
        private Map<String, String> sysctls = Map.of();
        private long shmSizeBytes;
        private List<String> groupAdd = List.of();
        private int oomScoreAdj;
        private long memoryReservationBytes;
        private int blkioWeight;

        private Builder(String id, Path rootfs, List<String> args) {
            this.id = id;
            this.rootfs = rootfs;
            this.args = args;
        }

        public Builder hostname(String v) { hostname = v; return this; }
        public Builder env(List<String> v) { env = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder openStdin(boolean v) { openStdin = v; return this; }
        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder capAdd(List<String> v) { capAdd = v; return this; }
        public Builder capDrop(List<String> v) { capDrop = v; return this; }
        public Builder readonlyRootfs(boolean v) { readonlyRootfs = v; return this; }
        public Builder mount(BindMount v) { mounts.add(v); return this; }
        public Builder tmpfs(String destination, String options) { tmpfs.put(destination, options); return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder cgroupsPath(String v) { cgroupsPath = v; return this; }
        public Builder networkNamespacePath(String v) { networkNamespacePath = v; return this; }
        public Builder ulimits(List<Ulimit> v) { ulimits = v; return this; }
        public Builder sysctls(Map<String, String> v) { sysctls = v; return this; }
        public Builder shmSizeBytes(long v) { shmSizeBytes = v; return this; }
        public Builder groupAdd(List<String> v) { groupAdd = v; return this; }
        public Builder oomScoreAdj(int v) { oomScoreAdj = v; return this; }
        public Builder memoryReservationBytes(long v) { memoryReservationBytes = v; return this; }
        public Builder blkioWeight(int v) { blkioWeight = v; return this; }

        public ContainerSpec build() {
            return new ContainerSpec(id, hostname, args, env, cwd, user, tty, openStdin, privileged, capAdd, capDrop,
                    readonlyRootfs, rootfs, mounts, tmpfs, resources, cgroupsPath, networkNamespacePath, ulimits,
                    sysctls, shmSizeBytes, groupAdd, oomScoreAdj, memoryReservationBytes, blkioWeight);
        }
    }
}
