package io.tally.container;

import io.tally.container.create.Config;
import io.tally.container.health.HealthCheckDefaults;
import io.tally.events.DomainException;
import io.tally.image.ImageConfig;
import io.tally.image.RunConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's create semantics: the container's Config is what the client sent, completed with the
 * image's defaults (env merged by key, Cmd and Entrypoint taken together, WorkingDir, User, …).
 * Fields Tally does not read stay as the client sent them, so inspect shows them.
 */
final class ContainerConfigs {
    private ContainerConfigs() {
    }

    static Map<String, Object> merge(Map<String, Object> requested, ImageConfig image, String imageAsTyped, String containerId) {
        return merge(Config.parse(requested), requested, image, imageAsTyped, containerId);
    }

    /**
     * @param sent      the create body as the client sent it
     * @param requested the same, read
     */
    static Map<String, Object> merge(Config requested, Map<String, Object> sent, ImageConfig image, String imageAsTyped, String containerId) {
        Map<String, Object> c = new LinkedHashMap<>(sent);
        c.remove("HostConfig");
        c.remove("NetworkingConfig");
        RunConfig defaults = image.config() == null ? RunConfig.EMPTY : image.config();

        c.put("Env", mergeEnv(defaults.env(), requested.env()));
        List<String> entrypoint = requested.entrypoint();
        List<String> cmd = requested.cmd();
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
        c.put("WorkingDir", firstSet(requested.workingDir(), defaults.workingDir()));
        c.put("User", firstSet(requested.user(), defaults.user()));
        c.put("StopSignal", firstSet(requested.stopSignal(), defaults.stopSignal()));
        c.put("Hostname", firstSet(requested.hostname(), containerId.substring(0, 12)));
        c.put("Domainname", requested.domainname() == null ? "" : requested.domainname());
        Map<String, Object> labels = new LinkedHashMap<>();
        if (defaults.labels() != null) {
            labels.putAll(defaults.labels());
        }
        if (requested.labels() != null) {
            labels.putAll(requested.labels());
        }
        c.put("Labels", labels);
        c.put("ExposedPorts", set(defaults.exposedPorts(), requested.exposedPorts()));
        c.put("Volumes", set(defaults.volumes(), requested.volumes()));
        if (defaults.onBuild() != null && c.get("OnBuild") == null) {
            c.put("OnBuild", defaults.onBuild());
        }
        Map<String, Object> healthcheck = HealthCheckDefaults.merge(sent.get("Healthcheck"), defaults.healthcheck());
        if (healthcheck != null) {
            c.put("Healthcheck", healthcheck);
        }
        c.put("Image", imageAsTyped);
        c.put("AttachStdin", requested.attachStdin());
        c.put("AttachStdout", requested.attachStdout());
        c.put("AttachStderr", requested.attachStderr());
        c.put("Tty", requested.tty());
        c.put("OpenStdin", requested.openStdin());
        c.put("StdinOnce", requested.stdinOnce());
        return c;
    }

    private static List<String> mergeEnv(List<String> image, List<String> own) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (List<String> list : Arrays.asList(image, own)) {
            if (list != null) {
                for (String kv : list) {
                    int eq = kv.indexOf('=');
                    byKey.put(eq < 0 ? kv : kv.substring(0, eq), kv);
                }
            }
        }
        return new ArrayList<>(byKey.values());
    }

    /** Docker's set-like objects ({"80/tcp": {}}), the image's entries first; null when empty. */
    private static Map<String, Object> set(java.util.Collection<String> image, List<String> own) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (java.util.Collection<String> keys : Arrays.asList(image, own)) {
            if (keys != null) {
                keys.forEach(k -> entries.put(k, Map.of()));
            }
        }
        return entries.isEmpty() ? null : entries;
    }

    /** The request's value unless blank, else the default, else "". */
    private static String firstSet(String requested, String dflt) {
        if (requested != null && !requested.isEmpty()) {
            return requested;
        }
        return dflt != null ? dflt : requested == null ? "" : requested;
    }
}
