package io.tally.container.create;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the host runs the container (Docker's {@code container.HostConfig}), read from a create
 * request or from a stored one. Reading only checks JSON types; Docker's create-time rules are
 * {@link CreateChecks}'. Lists and maps are null where the client did not set them.
 *
 * @param binds        {@code source:target[:mode]} specs; see {@link Bind}
 * @param portBindings by container port spec ({@code 80/tcp})
 * @param networkMode  "" when not set
 */
public record HostConfig(
        List<String> binds,
        List<Mount> mounts,
        Map<String, List<PortBinding>> portBindings,
        boolean publishAllPorts,
        RestartPolicy restartPolicy,
        LogConfig logConfig,
        Resources resources,
        boolean privileged,
        List<String> capAdd,
        List<String> capDrop,
        boolean readonlyRootfs,
        String networkMode,
        List<String> dns,
        List<String> dnsOptions,
        List<String> dnsSearch,
        List<String> extraHosts,
        List<String> links,
        boolean autoRemove,
        List<String> groupAdd,
        Boolean init,
        String containerIdFile,
        String volumeDriver,
        List<String> volumesFrom,
        String cgroupnsMode,
        String ipcMode,
        String pidMode,
        String utsMode,
        String usernsMode,
        String cgroup,
        long oomScoreAdj,
        long shmSize,
        List<String> securityOpt,
        Map<String, String> storageOpt,
        Map<String, String> tmpfs,
        Map<String, String> sysctls,
        String runtime,
        String isolation,
        List<String> maskedPaths,
        List<String> readonlyPaths) {

    public static final HostConfig NONE = parse(Map.of());

    /** @param hostPort "" lets the engine choose */
    public record PortBinding(String hostIp, String hostPort) {
    }

    /** @param options the driver's {@code --log-opt}s */
    public record LogConfig(String type, Map<String, String> options) {
    }

    /**
     * The cgroup limits. Pointer-typed fields of Docker's struct are null when not set.
     *
     * @param memorySwap -1 for unlimited swap
     * @param pidsLimit  0 or -1 for unlimited
     */
    public record Resources(long memory, long memorySwap, long memoryReservation, Long memorySwappiness, long kernelMemory,
                            Boolean oomKillDisable, long cpuShares, long nanoCpus, long cpuPeriod, long cpuQuota,
                            long cpuRealtimePeriod, long cpuRealtimeRuntime, String cpusetCpus, String cpusetMems,
                            long cpuCount, long cpuPercent, long blkioWeight, long ioMaximumIOps, long ioMaximumBandwidth,
                            long pidsLimit, String cgroupParent, List<Ulimit> ulimits, List<Device> devices) {
        static Resources read(JsonFields h) {
            return new Resources(h.number("Memory"), h.number("MemorySwap"), h.number("MemoryReservation"),
                    h.optionalNumber("MemorySwappiness"), h.number("KernelMemory"), h.optionalBool("OomKillDisable"),
                    h.number("CpuShares"), h.number("NanoCpus"), h.number("CpuPeriod"), h.number("CpuQuota"),
                    h.number("CpuRealtimePeriod"), h.number("CpuRealtimeRuntime"), h.text("CpusetCpus"), h.text("CpusetMems"),
                    h.number("CpuCount"), h.number("CpuPercent"), h.number("BlkioWeight"), h.number("IOMaximumIOps"),
                    h.number("IOMaximumBandwidth"), h.number("PidsLimit"), h.text("CgroupParent"),
                    list(h.objectList("Ulimits"), u -> new Ulimit(u.text("Name"), u.number("Soft"), u.number("Hard"))),
                    list(h.objectList("Devices"), d -> new Device(d.text("PathOnHost"), d.text("PathInContainer"),
                            d.text("CgroupPermissions"))));
        }
    }

    public record Ulimit(String name, long soft, long hard) {
    }

    public record Device(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }

    public static HostConfig parse(Map<String, Object> hostConfig) {
        return read(JsonFields.of("HostConfig", hostConfig));
    }

    static HostConfig read(JsonFields h) {
        JsonFields policy = h.object("RestartPolicy");
        JsonFields log = h.object("LogConfig");
        Map<String, String> logOptions = log.textMap("Config");
        return new HostConfig(
                h.strings("Binds"),
                list(h.objectList("Mounts"), Mount::read),
                portBindings(h.objectLists("PortBindings")),
                h.bool("PublishAllPorts"),
                RestartPolicy.read(policy.text("Name", ""), policy.number("MaximumRetryCount")),
                new LogConfig(log.text("Type", ""), logOptions == null ? Map.of() : logOptions),
                Resources.read(h),
                h.bool("Privileged"),
                h.strings("CapAdd"),
                h.strings("CapDrop"),
                h.bool("ReadonlyRootfs"),
                h.text("NetworkMode", ""),
                h.strings("Dns"),
                h.strings("DnsOptions"),
                h.strings("DnsSearch"),
                h.strings("ExtraHosts"),
                h.strings("Links"),
                h.bool("AutoRemove"),
                h.strings("GroupAdd"),
                h.optionalBool("Init"),
                h.text("ContainerIDFile"),
                h.text("VolumeDriver"),
                h.strings("VolumesFrom"),
                h.text("CgroupnsMode", ""),
                h.text("IpcMode", ""),
                h.text("PidMode", ""),
                h.text("UTSMode", ""),
                h.text("UsernsMode", ""),
                h.text("Cgroup", ""),
                h.number("OomScoreAdj"),
                h.number("ShmSize"),
                h.strings("SecurityOpt"),
                h.textMap("StorageOpt"),
                h.textMap("Tmpfs"),
                h.textMap("Sysctls"),
                h.text("Runtime", ""),
                h.text("Isolation", ""),
                h.strings("MaskedPaths"),
                h.strings("ReadonlyPaths"));
    }

    /** The binds as host directories to mount; a spec that is not one is refused with Docker's message. */
    public List<Bind> parsedBinds() {
        return binds == null ? List.of() : binds.stream().map(Bind::parse).toList();
    }

    /** The Mounts of type bind ({@code --mount type=bind}), which the start mounts after the Binds. */
    public List<Mount> bindMounts() {
        return mounts == null ? List.of() : mounts.stream().filter(m -> m.type().equals("bind")).toList();
    }

    /** Docker's default: a container without a network mode joins the default network. */
    public String networkModeOrDefault() {
        return networkMode.isEmpty() ? "default" : networkMode;
    }

    private static Map<String, List<PortBinding>> portBindings(Map<String, List<JsonFields>> raw) {
        if (raw == null) {
            return null;
        }
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        raw.forEach((port, bindings) -> out.put(port,
                bindings.stream().map(b -> new PortBinding(b.text("HostIp", ""), b.text("HostPort", ""))).toList()));
        return out;
    }

    static <T> List<T> list(List<JsonFields> objects, java.util.function.Function<JsonFields, T> read) {
        return objects == null ? null : objects.stream().map(read).toList();
    }
}
