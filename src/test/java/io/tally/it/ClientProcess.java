package io.tally.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A client program other than the docker CLI (python3, docker-compose) run against a tallyd: its
 * output is collected, and a hung client is killed so the test fails instead of blocking.
 */
final class ClientProcess {
    private ClientProcess() {
    }

    static DockerCli.Result run(List<String> command, Path dir, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = start(command, dir, env);
        p.getOutputStream().close();
        byte[][] err = new byte[1][];
        Thread errReader = Thread.startVirtualThread(() -> err[0] = readQuietly(p.getErrorStream()));
        byte[][] out = new byte[1][];
        Thread outReader = Thread.startVirtualThread(() -> out[0] = readQuietly(p.getInputStream()));
        boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly().waitFor();
        }
        outReader.join();
        errReader.join();
        String stdout = new String(out[0], StandardCharsets.UTF_8);
        String stderr = new String(err[0], StandardCharsets.UTF_8);
        if (!finished) {
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                    + " s\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        return new DockerCli.Result(p.exitValue(), stdout, stderr);
    }

    /** Started, not awaited: for a client that runs until something else ends it (`logs -f`). */
    static Process start(List<String> command, Path dir, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("DOCKER_API_VERSION");
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static byte[] readQuietly(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
