package io.tally.runtime.runc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a host command (runc, tally-shim's launcher) to completion with a time limit, capturing its output. */
public final class CommandRunner {

    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }
    }

    private static final File DEV_NULL = new File("/dev/null");
    /** How long output may still trail in after the process ended (a grandchild may hold the pipe). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    private CommandRunner() {
    }

    /**
     * On timeout the process is killed and the result says {@code timedOut}; whatever it started itself
     * (the shim's daemon, runc's children) is the caller's to clean up.
     */
    public static Result run(List<String> command, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).start();
        // Both pipes are drained concurrently so that neither can fill up and stall the process.
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        if (!exited) {
            process.destroyForcibly();
        }
        return new Result(exited ? process.exitValue() : -1, collect(out, process.getInputStream()),
                collect(err, process.getErrorStream()), !exited);
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        });
        return text;
    }

    private static String collect(CompletableFuture<String> text, InputStream stream) {
        try {
            return text.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            closeQuietly(stream); // ends the reader thread
            return "";
        } catch (ExecutionException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing more to read either way
        }
    }
}
