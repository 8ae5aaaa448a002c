package io.tally.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real single-node KRaft broker in its own JVM, so a test can take it away and bring it back. */
public final class KafkaBrokerProcess implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private KafkaBrokerProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static KafkaBrokerProcess start(Path dir) throws IOException {
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, freePort());
        broker.start();
        return broker;
    }

    public void start() throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-cp", System.getProperty("java.class.path"),
                "io.tally.daemon.embedded.EmbeddedKafkaBroker", "--dir", dir.toString(), "--port", String.valueOf(port));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                Thread.startVirtualThread(() -> drain(out));
                return;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Kafka broker did not become ready:\n" + seen);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker (SIGTERM, then SIGKILL). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // keep the pipe from filling up
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
