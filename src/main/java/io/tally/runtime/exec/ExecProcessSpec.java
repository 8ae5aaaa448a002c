package io.tally.runtime.exec;

import io.tally.events.DomainException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.events.DomainException.Kind;
import io.tally.runtime.runc.Capabilities;
import io.tally.runtime.runc.ResolvedUser;
import io.tally.runtime.runc.UserResolver;
import io.tally.runtime.exec.ExecRuntime.ExecRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI process of an exec session, derived from the container's own (config.json) the way Docker
 * derives it: same capabilities, rlimits, AppArmor and no-new-privileges, with the exec's command,
 * terminal, extra environment, working dir and user; a privileged exec gets every capability.
 */
public final class ExecProcessSpec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CAPABILITY_SETS = List.of("bounding", "effective", "inheritable", "permitted", "ambient");

    private ExecProcessSpec() {
    }

    public static void write(Path bundleConfig, Path rootfs, ExecRequest request, Path target) throws DomainException {
        ObjectNode process;
        try {
            process = (ObjectNode) JSON.readTree(bundleConfig.toFile()).path("process").deepCopy();
        } catch (IOException | ClassCastException e) {
            throw new DomainException(Kind.HOST_ERROR, "cannot read the process spec of container " + request.containerId()
                    + " (" + bundleConfig + "): " + e.getMessage(), e);
        }
        if (request.args() == null || request.args().isEmpty()) {
            throw new DomainException(Kind.INVALID_CONFIG, "No exec command specified");
        }
        process.put("terminal", request.tty());
        process.remove("consoleSize");
        strings(process.putArray("args"), request.args());
        List<String> env = mergedEnv(process.path("env"), request.env());
        strings(process.putArray("env"), env);
        if (request.workingDir() != null && !request.workingDir().isEmpty()) {
            process.put("cwd", request.workingDir());
        }
        if (request.user() != null && !request.user().isEmpty()) {
            setUser(process, rootfs, request.user());
        }
        if (request.privileged()) {
            List<String> all = Capabilities.ofThisHost().resolve(true, List.of(), List.of());
            ObjectNode caps = process.putObject("capabilities");
            for (String set : CAPABILITY_SETS) {
                if (!set.equals("ambient")) {
                    strings(caps.putArray(set), all);
                }
            }
        }
        try {
            Files.writeString(target, JSON.writeValueAsString(process));
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "writing " + target + ": " + e.getMessage(), e);
        }
    }

    /** The container's environment with the exec's variables added or replacing same-named ones. */
    static List<String> mergedEnv(JsonNode containerEnv, List<String> execEnv) {
        Map<String, String> byName = new LinkedHashMap<>();
        containerEnv.forEach(e -> byName.put(nameOf(e.asText()), e.asText()));
        if (execEnv != null) {
            execEnv.forEach(e -> byName.put(nameOf(e), e));
        }
        return List.copyOf(byName.values());
    }

    private static String nameOf(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    private static void setUser(ObjectNode process, Path rootfs, String user) throws DomainException {
        ResolvedUser resolved;
        try {
            resolved = UserResolver.resolve(rootfs, user, List.of());
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "reading the container's passwd and group files: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Docker's words reach the user through the exec stream, as runc's do
            throw new DomainException(Kind.START_FAILED, e.getMessage(), e);
        }
        ObjectNode u = process.putObject("user");
        u.put("uid", resolved.uid());
        u.put("gid", resolved.gid());
        ArrayNode gids = u.putArray("additionalGids");
        resolved.additionalGids().forEach(gids::add);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
