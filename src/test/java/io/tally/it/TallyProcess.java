package io.tally.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real tallyd started from the packaged application, as a user would run it. */
public final class TallyProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path log;

    private TallyProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    public static Path appJar() {
        Path jar = Path.of(System.getProperty("tally.app.dir", "target/quarkus-app"), "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first (./mvnw verify does)");
        }
        return jar;
    }

    public static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", appJar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts tallyd listening on {@code socket} (plus the given args) and waits for /_ping. */
    public static TallyProcess start(Path socket, Path log, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("-H", "unix://" + socket));
        all.addAll(List.of(args));
        Process p = new ProcessBuilder(command(all.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        TallyProcess tally = new TallyProcess(p, socket, log);
        tally.awaitReady(Duration.ofSeconds(120));
        return tally;
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("tallyd exited with " + process.exitValue() + ":\n" + logText());
            }
            if (ping(socket)) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("tallyd did not answer /_ping within " + timeout + ":\n" + logText());
    }

    public static boolean ping(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: tally\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(1024);
            ch.read(buf);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path socket() {
        return socket;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then wait for a graceful exit. Returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("tallyd did not stop within 60 s of SIGTERM:\n" + logText());
        }
        return process.exitValue();
    }

    /** kill -9: no shutdown hooks run, as after a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
