package io.tally.http;

import io.tally.container.ContainerJson;
import io.tally.container.api.HealthProbeResult;
import io.tally.container.api.HealthStatus;
import io.tally.container.create.HostConfig;
import io.tally.container.create.LogDriver;
import io.tally.container.health.ContainerHealth;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Container read-model rows in the shapes of Docker's `ps` and `inspect` answers. */
final class ContainerJsonViews {
    private ContainerJsonViews() {
    }

    static String status(ContainerView c) {
        return status(c, Instant.now());
    }

    /** The Status column as `docker ps` would have shown it at {@code now} (history answers use the past). */
    static String status(ContainerView c, Instant now) {
        return status(c, now, null);
    }

    /** @param health null when the container has no health status ("none") */
    static String status(ContainerView c, Instant now, HealthStatus health) {
        return switch (c.state) {
            case RUNNING -> "Up " + HumanDurations.of(Duration.between(c.startedAt, now)) + healthSuffix(health);
            case PAUSED -> "Up " + HumanDurations.of(Duration.between(c.startedAt, now)) + " (Paused)";
            case RESTARTING -> "Restarting (" + c.exitCode + ") " + HumanDurations.of(Duration.between(c.finishedAt, now)) + " ago";
            case EXITED -> "Exited (" + c.exitCode + ") " + HumanDurations.of(Duration.between(c.finishedAt, now)) + " ago";
            case CREATED, REMOVING, DEAD -> "Created";
        };
    }

    /** Docker's ps suffix: " (healthy)", " (unhealthy)", " (health: starting)". */
    private static String healthSuffix(HealthStatus health) {
        if (health == null) {
            return "";
        }
        return health == HealthStatus.STARTING ? " (health: starting)" : " (" + health.word() + ")";
    }

    /** Docker's {@code State.Health}. */
    static Map<String, Object> health(ContainerHealth.Report r) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Status", r.status().word());
        h.put("FailingStreak", r.failingStreak());
        List<Map<String, Object>> log = new ArrayList<>();
        for (HealthProbeResult p : r.log()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("Start", ImageJsonViews.rfc3339(p.start()));
            entry.put("End", ImageJsonViews.rfc3339(p.end()));
            entry.put("ExitCode", p.exitCode());
            entry.put("Output", p.output());
            log.add(entry);
        }
        h.put("Log", log);
        return h;
    }

    static List<String> args(Map<String, Object> config) {
        List<String> all = new ArrayList<>();
        if (config.get("Entrypoint") instanceof List<?> ep) {
            ep.forEach(a -> all.add(String.valueOf(a)));
        }
        if (config.get("Cmd") instanceof List<?> cmd) {
            cmd.forEach(a -> all.add(String.valueOf(a)));
        }
        return all;
    }

    static Map<String, Object> summary(ContainerView c) {
        return summary(c, Instant.now());
    }

    static Map<String, Object> summary(ContainerView c, Instant now) {
        return summary(c, now, null);
    }

    /** @param health the container's health status, null for none */
    static Map<String, Object> summary(ContainerView c, Instant now, HealthStatus health) {
        Map<String, Object> config = ContainerJson.map(c.config);
        HostConfig hostConfig = HostConfig.parse(ContainerJson.map(c.hostConfig));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id);
        m.put("Names", List.of("/" + c.name));
        m.put("Image", c.image);
        m.put("ImageID", c.imageId);
        m.put("Command", String.join(" ", args(config)));
        m.put("Created", c.createdAt.getEpochSecond());
        m.put("Ports", List.of());
        m.put("Labels", config.getOrDefault("Labels", Map.of()));
        m.put("State", c.state.word());
        m.put("Status", status(c, now, health));
        m.put("HostConfig", Map.of("NetworkMode", hostConfig.networkModeOrDefault()));
        m.put("NetworkSettings", Map.of("Networks", Map.of("none", noneNetwork())));
        m.put("Mounts", BindMountViews.of(hostConfig));
        return m;
    }

    static Map<String, Object> inspect(ContainerView c, Path containerDir, Path logFile) {
        Map<String, Object> config = ContainerJson.map(c.config);
        Map<String, Object> hostConfig = new LinkedHashMap<>(ContainerJson.map(c.hostConfig));
        hostConfig.putIfAbsent("NetworkMode", "default");
        hostConfig.putIfAbsent("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
        hostConfig.putIfAbsent("AutoRemove", false);
        hostConfig.putIfAbsent("Privileged", false);
        hostConfig.putIfAbsent("Memory", 0);
        hostConfig.putIfAbsent("NanoCpus", 0);
        hostConfig.putIfAbsent("CapAdd", null);
        hostConfig.putIfAbsent("CapDrop", null);
        hostConfig.putIfAbsent("Binds", null);
        // What the container runs with: the default driver and runtime when the client named none.
        LogDriver log = LogDriver.of(HostConfig.parse(hostConfig).logConfig());
        hostConfig.put("LogConfig", Map.of("Type", log.type(), "Config", log.options()));
        if (hostConfig.get("Runtime") == null || "".equals(hostConfig.get("Runtime"))) {
            hostConfig.put("Runtime", "runc");
        }
        List<String> args = args(config);

        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", c.state.word());
        state.put("Running", c.running() || c.state == ContainerStatus.RESTARTING);
        state.put("Paused", c.state == ContainerStatus.PAUSED);
        state.put("Restarting", c.state == ContainerStatus.RESTARTING);
        state.put("OOMKilled", c.oomKilled);
        state.put("Dead", false);
        state.put("Pid", c.pid);
        state.put("ExitCode", c.exitCode);
        state.put("Error", c.error == null ? "" : c.error);
        state.put("StartedAt", ImageJsonViews.rfc3339(c.startedAt));
        state.put("FinishedAt", ImageJsonViews.rfc3339(c.finishedAt));

        List<String> lowers = ContainerJson.list(c.lowerDirs);
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("Name", "overlayfs");
        graph.put("Data", Map.of(
                "LowerDir", String.join(":", lowers),
                "MergedDir", containerDir.resolve("rootfs").toString(),
                "UpperDir", containerDir.resolve("upper").toString(),
                "WorkDir", containerDir.resolve("work").toString()));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", c.id);
        m.put("Created", ImageJsonViews.rfc3339(c.createdAt));
        m.put("Path", args.isEmpty() ? "" : args.get(0));
        m.put("Args", args.size() > 1 ? args.subList(1, args.size()) : List.of());
        m.put("State", state);
        m.put("Image", c.imageId);
        m.put("ResolvConfPath", containerDir.resolve("resolv.conf").toString());
        m.put("HostnamePath", containerDir.resolve("hostname").toString());
        m.put("HostsPath", containerDir.resolve("hosts").toString());
        m.put("LogPath", logFile.toString());
        m.put("Name", "/" + c.name);
        m.put("RestartCount", c.restartCount);
        m.put("Driver", "overlayfs");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", null);
        m.put("HostConfig", hostConfig);
        m.put("GraphDriver", graph);
        m.put("Mounts", BindMountViews.of(HostConfig.parse(ContainerJson.map(c.hostConfig))));
        m.put("Config", config);
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("Bridge", "");
        net.put("SandboxID", "");
        net.put("HairpinMode", false);
        net.put("LinkLocalIPv6Address", "");
        net.put("LinkLocalIPv6PrefixLen", 0);
        net.put("Ports", Map.of());
        net.put("SandboxKey", c.pid > 0 ? "/proc/" + c.pid + "/ns/net" : "");
        net.put("Gateway", "");
        net.put("IPAddress", "");
        net.put("IPPrefixLen", 0);
        net.put("MacAddress", "");
        // Until bridge networking lands, every container has its own namespace with loopback only.
        net.put("Networks", Map.of("none", noneNetwork()));
        m.put("NetworkSettings", net);
        return m;
    }

    private static Map<String, Object> noneNetwork() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("NetworkID", "none");
        n.put("EndpointID", "");
        n.put("Gateway", "");
        n.put("IPAddress", "");
        n.put("IPPrefixLen", 0);
        n.put("MacAddress", "");
        return n;
    }
}
