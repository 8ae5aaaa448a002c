package io.tally.container;

import io.tally.events.DomainException;
import io.tally.image.ImageConfig;
import io.tally.image.RunConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's create semantics: the container's Config is what the client sent, completed with the
 * image's defaults (env merged by key, Cmd and Entrypoint taken together, WorkingDir, User, …).
 */
final class ContainerConfigs {
    private ContainerConfigs() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> requested, ImageConfig image, String imageAsTyped, String containerId) {
        Map<String, Object> c = new LinkedHashMap<>(requested);
        c.remove("HostConfig");
        c.remove("NetworkingConfig");
        RunConfig defaults = image.config() == null ? RunConfig.EMPTY : image.config();

        c.put("Env", mergeEnv(defaults.env(), (List<String>) c.get("Env")));
        List<String> entrypoint = strings(c.get("Entrypoint"));
        List<String> cmd = strings(c.get("Cmd"));
        if (entrypoint == null) {
            entrypoint = defaults.entrypoint();
            if (cmd == null) {
                cmd = defaults.cmd();
            }
        }
        if ((entrypoint == null || entrypoint.isEmpty()) && (cmd == null || cmd.isEmpty())) {
            throw DomainException.invalid("No command specified");
        }
        c.put("Entrypoint", entrypoint == null || entrypoint.isEmpty() ? null : entrypoint);
        c.put("Cmd", cmd == null || cmd.isEmpty() ? null : cmd);
        putIfBlank(c, "WorkingDir", defaults.workingDir());
        putIfBlank(c, "User", defaults.user());
        putIfBlank(c, "StopSignal", defaults.stopSignal());
        putIfBlank(c, "Hostname", containerId.substring(0, 12));
        c.putIfAbsent("Domainname", "");
        Map<String, Object> labels = new LinkedHashMap<>();
        if (defaults.labels() != null) {
            labels.putAll(defaults.labels());
        }
        if (c.get("Labels") instanceof Map<?, ?> own) {
            own.forEach((k, v) -> labels.put(k.toString(), v));
        }
        c.put("Labels", labels);
        Map<String, Object> exposed = new LinkedHashMap<>();
        if (defaults.exposedPorts() != null) {
            defaults.exposedPorts().forEach(p -> exposed.put(p, Map.of()));
        }
        if (c.get("ExposedPorts") instanceof Map<?, ?> own) {
            own.forEach((k, v) -> exposed.put(k.toString(), Map.of()));
        }
        c.put("ExposedPorts", exposed.isEmpty() ? null : exposed);
        Map<String, Object> volumes = new LinkedHashMap<>();
        if (defaults.volumes() != null) {
            defaults.volumes().forEach(v -> volumes.put(v, Map.of()));
        }
        if (c.get("Volumes") instanceof Map<?, ?> own) {
            own.forEach((k, v) -> volumes.put(k.toString(), Map.of()));
        }
        c.put("Volumes", volumes.isEmpty() ? null : volumes);
        if (defaults.onBuild() != null) {
            c.putIfAbsent("OnBuild", defaults.onBuild());
        }
        c.put("Image", imageAsTyped);
        for (String flag : List.of("AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce")) {
            c.putIfAbsent(flag, false);
        }
        return c;
    }

    private static List<String> mergeEnv(List<String> image, List<String> own) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (List<String> list : java.util.Arrays.asList(image, own)) {
            if (list != null) {
                for (String kv : list) {
                    int eq = kv.indexOf('=');
                    byKey.put(eq < 0 ? kv : kv.substring(0, eq), kv);
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static List<String> strings(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of("/bin/sh", "-c", o.toString());
    }

    private static void putIfBlank(Map<String, Object> c, String key, String value) {
        Object current = c.get(key);
        if ((current == null || current.toString().isEmpty()) && value != null) {
            c.put(key, value);
        } else if (current == null) {
            c.put(key, "");
        }
    }
}
