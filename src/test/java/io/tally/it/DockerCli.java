package io.tally.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stock docker CLI pointed at a tallyd socket, with its own scratch config dir. */
public final class DockerCli {
    private final Path socket;
    private final Path config;

    public DockerCli(Path socket, Path scratch) throws IOException {
        this.socket = socket;
        this.config = Files.createDirectories(scratch.resolve("docker-config"));
    }

    public Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        return execute(cmd, args);
    }

    /** Removes every container of this tallyd, so no mount, process or cgroup outlives a test, passed or failed. */
    public void removeAllContainers() throws IOException, InterruptedException {
        String ids = run("ps", "-aq").stdout().trim();
        if (!ids.isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
            cmd.addAll(ids.lines().toList());
            run(cmd.toArray(String[]::new));
        }
    }

    /** A shell pipeline using docker, e.g. {@code echo hi | docker run -i bb cat}. */
    public Result shell(String pipeline) throws IOException, InterruptedException {
        return execute(List.of("sh", "-c", pipeline), new String[] {pipeline});
    }

    private Result execute(List<String> cmd, String[] args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("DOCKER_HOST", "unix://" + socket);
        pb.environment().put("DOCKER_CONFIG", config.toString());
        pb.environment().remove("DOCKER_API_VERSION");
        pb.environment().remove("DOCKER_CONTEXT");
        Process p = pb.start();
        p.getOutputStream().close();
        // A hung command must fail the test, not block it: reading its output only ends when it exits.
        Thread watchdog = Thread.startVirtualThread(() -> {
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                // the command finished
            }
        });
        var out = p.getInputStream();
        var err = p.getErrorStream();
        byte[][] errBytes = new byte[1][];
        Thread errReader = Thread.startVirtualThread(() -> {
            try {
                errBytes[0] = err.readAllBytes();
            } catch (IOException e) {
                errBytes[0] = new byte[0];
            }
        });
        String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("docker " + String.join(" ", args) + " did not finish");
        }
        errReader.join();
        watchdog.interrupt();
        return new Result(p.exitValue(), stdout, new String(errBytes[0], StandardCharsets.UTF_8));
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("docker exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }
}
