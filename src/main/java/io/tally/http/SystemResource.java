package io.tally.http;

import io.tally.container.create.LogDriver;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;
import io.tally.daemon.EngineFeatures;
import io.tally.daemon.TallyConfig;
import io.tally.daemon.TallyVersion;
import io.tally.history.docker.DockerEventStream;
import io.tally.image.query.ImageView;
import io.tally.runtime.host.HostFacts;
import io.tally.runtime.rootfs.ContainerFilesystem;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /_ping, /version and /info: what the CLI asks before anything else. */
@Path("/")
public class SystemResource {

    /** The drivers {@link LogDriver#of(HostConfig.LogConfig)} accepts, sorted as Docker lists them. */
    private static final List<String> LOG_DRIVERS = List.of(LogDriver.JSON_FILE, LogDriver.KAFKA, LogDriver.LOCAL);
    /** What a container gets without --log-driver: the same code decides it for create. */

    @Inject HostFacts host;
    @Inject TallyConfig config;
    @Inject DockerEventStream events;
    @Inject ContainerFilesystem files;

    @HEAD
    @Path("_ping")
    public Response pingHead() {
        return ping("");
    }

    @GET
    @Path("_ping")
    @Produces(MediaType.TEXT_PLAIN)
    public Response pingGet() {
        return ping("OK");
    }

    private static Response ping(String body) {
        return Response.ok(body, "text/plain; charset=utf-8")
                .header("Cache-Control", "no-cache, no-store, must-revalidate")
                .header("Pragma", "no-cache")
                .build();
    }

    @GET
    @Path("version")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> version() {
        Map<String, Object> engine = new LinkedHashMap<>();
        engine.put("ApiVersion", TallyVersion.API_VERSION);
        engine.put("Arch", host.goArch());
        engine.put("BuildTime", "");
        engine.put("Experimental", "false");
        engine.put("GitCommit", "");
        engine.put("GoVersion", "java" + Runtime.version().feature());
        engine.put("KernelVersion", host.kernelVersion());
        engine.put("MinAPIVersion", TallyVersion.MIN_API_VERSION);
        engine.put("Os", "linux");

        List<Map<String, Object>> components = new ArrayList<>();
        components.add(component("Engine", TallyVersion.DOCKER_COMPATIBLE_VERSION, engine));
        components.add(component("Tally", TallyVersion.version(), EngineFeatures.asDetails()));
        host.runtimeVersion("runc").ifPresent(v -> components.add(component("runc", v, Map.of("GitCommit", ""))));

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Platform", Map.of("Name", "Tally"));
        body.put("Components", components);
        body.put("Version", TallyVersion.DOCKER_COMPATIBLE_VERSION);
        body.put("ApiVersion", TallyVersion.API_VERSION);
        body.put("MinAPIVersion", TallyVersion.MIN_API_VERSION);
        body.put("GitCommit", "");
        body.put("GoVersion", "java" + Runtime.version().feature());
        body.put("Os", "linux");
        body.put("Arch", host.goArch());
        body.put("KernelVersion", host.kernelVersion());
        body.put("BuildTime", "");
        return body;
    }

    private static Map<String, Object> component(String name, String version, Map<String, Object> details) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Name", name);
        c.put("Version", version);
        c.put("Details", details);
        return c;
    }

    @GET
    @Path("system/df")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> diskUsage() {
        return DiskUsage.of(ImageView.listAll(), ContainerView.listAll(), files);
    }

    @GET
    @Path("info")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> info() {
        long running = ContainerView.countInState(ContainerStatus.RUNNING);
        long paused = ContainerView.countInState(ContainerStatus.PAUSED);
        long all = ContainerView.count();
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("ID", config.engineId());
        i.put("Containers", all);
        i.put("ContainersRunning", running);
        i.put("ContainersPaused", paused);
        i.put("ContainersStopped", all - running - paused);
        i.put("Images", ImageView.count());
        i.put("Driver", "overlayfs");
        i.put("DriverStatus", List.of(List.of("Backing Filesystem", host.filesystemType(config.dataRoot()))));
        // no volume or network drivers yet (their issues are open); the log drivers LogDriver accepts
        i.put("Plugins", Map.of("Volume", List.of(), "Network", List.of(), "Authorization", List.of(), "Log", LOG_DRIVERS));
        i.put("MemoryLimit", host.cgroupController("memory"));
        i.put("SwapLimit", host.swapLimit());
        i.put("KernelMemory", false);
        i.put("KernelMemoryTCP", false);
        i.put("CpuCfsPeriod", host.cpuCfs());
        i.put("CpuCfsQuota", host.cpuCfs());
        i.put("CPUShares", host.cgroupController("cpu"));
        i.put("CPUSet", host.cgroupController("cpuset"));
        i.put("PidsLimit", host.cgroupController("pids"));
        i.put("IPv4Forwarding", host.ipv4Forwarding());
        i.put("BridgeNfIptables", host.bridgeNfIptables());
        i.put("BridgeNfIp6tables", host.bridgeNfIp6tables());
        i.put("Debug", config.debug());
        i.put("NFd", host.openFileDescriptors());
        i.put("OomKillDisable", false);
        i.put("NGoroutines", Thread.activeCount());
        i.put("SystemTime", Instant.now().toString());
        i.put("LoggingDriver", LogDriver.DEFAULT);
        i.put("CgroupDriver", "cgroupfs");
        i.put("CgroupVersion", host.cgroupVersion());
        i.put("NEventsListener", events.listeners());
        i.put("KernelVersion", host.kernelVersion());
        i.put("OperatingSystem", host.operatingSystem());
        i.put("OSVersion", host.osVersion());
        i.put("OSType", "linux");
        i.put("Architecture", host.architecture());
        i.put("IndexServerAddress", "https://index.docker.io/v1/");
        i.put("RegistryConfig", Map.of(
                "AllowNondistributableArtifactsCIDRs", List.of(),
                "AllowNondistributableArtifactsHostnames", List.of(),
                "InsecureRegistryCIDRs", List.of("127.0.0.0/8"),
                "IndexConfigs", Map.of("docker.io", Map.of("Name", "docker.io", "Mirrors", List.of(), "Secure", true, "Official", true)),
                "Mirrors", List.of()));
        i.put("NCPU", host.cpus());
        i.put("MemTotal", host.memTotalBytes());
        i.put("GenericResources", null);
        i.put("DockerRootDir", config.dataRoot().toString());
        i.put("HttpProxy", "");
        i.put("HttpsProxy", "");
        i.put("NoProxy", "");
        i.put("Name", host.hostname());
        i.put("Labels", List.of());
        i.put("ExperimentalBuild", false);
        i.put("ServerVersion", TallyVersion.DOCKER_COMPATIBLE_VERSION);
        i.put("Runtimes", Map.of("runc", Map.of("path", "runc")));
        i.put("DefaultRuntime", "runc");
        i.put("Swarm", swarmInactive());
        i.put("LiveRestoreEnabled", true);
        i.put("Isolation", "");
        i.put("InitBinary", "");
        i.put("ContainerdCommit", Map.of("ID", "", "Expected", ""));
        i.put("RuncCommit", Map.of("ID", host.runtimeVersion("runc").orElse(""), "Expected", ""));
        i.put("InitCommit", Map.of("ID", "", "Expected", ""));
        i.put("SecurityOptions", List.of());
        i.put("Warnings", warnings());
        return i;
    }

    private static Map<String, Object> swarmInactive() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("NodeID", "");
        s.put("NodeAddr", "");
        s.put("LocalNodeState", "inactive");
        s.put("ControlAvailable", false);
        s.put("Error", "");
        s.put("RemoteManagers", null);
        return s;
    }

    private List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (!config.kafka().enabled()) {
            w.add("WARNING: Kafka publication is off: events are stored but not published");
        }
        if (host.runtimeVersion("runc").isEmpty()) {
            w.add("WARNING: runc is not installed: containers cannot run");
        }
        return w.isEmpty() ? null : w;
    }
}
