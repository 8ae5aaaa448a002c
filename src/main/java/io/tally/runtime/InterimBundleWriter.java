package io.tally.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.runtime.ContainerRuntime.BindMount;
import io.tally.runtime.ContainerRuntime.StartRequest;
import io.tally.events.DomainException.Kind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * INTERIM: a stand-in until the full OCI spec builder (package io.tally.runtime.oci) is wired in. It
 * takes runc's own default spec ({@code runc spec}) and sets only: args, env (PATH added if missing),
 * cwd, terminal, hostname, a numeric {@code uid[:gid]} user, root path and read-only flag, cgroupsPath,
 * the memory limit and swap, and the binds. Not handled: user names, capabilities (runc's defaults are
 * kept; privileged, capAdd, capDrop are ignored), Docker's default mounts and masked paths, CPU and pids
 * limits.
 */
public final class InterimBundleWriter implements BundleWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final String runc;
    private ObjectNode template;

    public InterimBundleWriter(String runc) {
        this.runc = runc;
    }

    @Override
    public void write(Path bundleDir, StartRequest request, Path rootfs, String cgroupsPath) throws DomainException {
        if (request.args() == null || request.args().isEmpty()) {
            throw new DomainException(Kind.INVALID_CONFIG, "no command specified");
        }
        ObjectNode config = template().deepCopy();

        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", request.tty());
        strings(process.putArray("args"), request.args());
        List<String> env = new ArrayList<>(request.env() == null ? List.of() : request.env());
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.addFirst(DEFAULT_PATH);
        }
        strings(process.putArray("env"), env);
        process.put("cwd", request.workingDir() == null || request.workingDir().isBlank() ? "/" : request.workingDir());
        ObjectNode user = process.putObject("user");
        long[] ids = numericUser(request.user());
        user.put("uid", ids[0]);
        user.put("gid", ids[1]);

        ObjectNode root = (ObjectNode) config.get("root");
        root.put("path", rootfs.toAbsolutePath().toString());
        root.put("readonly", request.readonlyRootfs());
        config.put("hostname", request.hostname() == null ? "" : request.hostname());

        ArrayNode mounts = (ArrayNode) config.get("mounts");
        for (BindMount bind : request.binds() == null ? List.<BindMount>of() : request.binds()) {
            ObjectNode mount = mounts.addObject();
            mount.put("destination", bind.destination());
            mount.put("type", "bind");
            mount.put("source", bind.source());
            mount.putArray("options").add("rbind").add("rprivate").add(bind.readOnly() ? "ro" : "rw");
        }

        ObjectNode linux = (ObjectNode) config.get("linux");
        linux.put("cgroupsPath", cgroupsPath);
        ContainerRuntime.Resources resources = request.resources();
        if (resources != null && resources.memoryBytes() > 0) {
            ObjectNode limits = linux.has("resources") ? (ObjectNode) linux.get("resources") : linux.putObject("resources");
            ObjectNode memory = limits.putObject("memory");
            memory.put("limit", resources.memoryBytes());
            if (resources.memorySwapBytes() != 0) {
                memory.put("swap", resources.memorySwapBytes());
            }
        }

        try {
            Path tmp = bundleDir.resolve("config.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), config);
            Files.move(tmp, bundleDir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "writing " + bundleDir.resolve("config.json") + ": " + e, e);
        }
    }

    /** {@code uid}, {@code uid:gid} or empty (root); user names need the image's /etc/passwd, which is the full builder's job. */
    static long[] numericUser(String user) throws DomainException {
        if (user == null || user.isBlank() || user.equals("root")) {
            return new long[] {0, 0};
        }
        String[] parts = user.split(":", 2);
        try {
            long uid = Long.parseLong(parts[0]);
            long gid = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
            if (uid < 0 || gid < 0) {
                throw new NumberFormatException();
            }
            return new long[] {uid, gid};
        } catch (NumberFormatException e) {
            throw new DomainException(Kind.INVALID_CONFIG, "user '" + user
                    + "' is not supported yet: only numeric uid[:gid] users are");
        }
    }

    /** runc's default spec, made once with {@code runc spec} in a scratch directory. */
    private synchronized ObjectNode template() throws DomainException {
        if (template == null) {
            Path scratch = null;
            try {
                scratch = Files.createTempDirectory("tally-runc-spec");
                CommandRunner.Result result = CommandRunner.run(
                        List.of(runc, "spec", "--bundle", scratch.toString()), Duration.ofSeconds(30));
                if (!result.ok()) {
                    throw new DomainException(Kind.HOST_ERROR, "runc spec failed: " + Runc.errorText(result));
                }
                template = (ObjectNode) JSON.readTree(scratch.resolve("config.json").toFile());
            } catch (IOException e) {
                throw new DomainException(Kind.HOST_ERROR, "cannot get runc's default spec: " + e, e);
            } finally {
                deleteQuietly(scratch);
            }
        }
        return template;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a few bytes in the temp dir
        }
    }
}
