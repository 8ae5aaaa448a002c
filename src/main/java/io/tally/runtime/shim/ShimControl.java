package io.tally.runtime.shim;

import io.tally.events.DomainException;
import io.tally.events.DomainException.Kind;
import io.tally.runtime.StartFailures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** tally-shim's control socket: one command line, one reply line (src/native/README.md). */
public final class ShimControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_REPLY = 4096;
    /** The shim replies ERR to START a moment before it writes runc's full text to create-error. */
    private static final Duration CREATE_ERROR_WAIT = Duration.ofMillis(500);

    private final ShimProcesses shims;

    public ShimControl(ShimProcesses shims) {
        this.shims = shims;
    }

    /** The reply without its newline; IOException when no shim answers. */
    public String command(ShimDir shim, String command) throws IOException {
        Path socket = socketAddress(shim)
                .orElseThrow(() -> new IOException("no tally-shim listens on " + shim.socket()));
        return UnixSockets.request(socket, command, MAX_REPLY, TIMEOUT).strip();
    }

    /** STATUS, or empty when no shim answers (none there, or it is going away). */
    public Optional<ShimStatus> status(ShimDir shim) {
        try {
            return Optional.of(ShimStatus.parse(command(shim, "STATUS")));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The shim binds "shim.sock" relative to its state dir, which works for any path length; a client
     * needs an address of at most 107 bytes, so long state dirs are reached through the shim's cwd.
     */
    public Optional<Path> socketAddress(ShimDir shim) {
        if (!Files.exists(shim.socket())) {
            return Optional.empty();
        }
        if (UnixSockets.fitsAddress(shim.socket())) {
            return Optional.of(shim.socket());
        }
        return shims.find(shim).map(process -> Path.of("/proc", Long.toString(process.pid()), "cwd", "shim.sock"));
    }

    /**
     * Starts the process the shim holds (after runc create): its pid on the host. A refusal is
     * START_FAILED with runc's own words (Docker shows them verbatim), anything else HOST_ERROR.
     */
    public long start(ShimDir shim, String containerId) throws DomainException {
        String reply;
        try {
            reply = command(shim, "START");
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "tally-shim of container " + containerId + " did not answer START: "
                    + e.getMessage(), e);
        }
        if (reply.startsWith("OK ")) {
            try {
                return Long.parseLong(reply.substring(3).strip());
            } catch (NumberFormatException e) {
                throw new DomainException(Kind.HOST_ERROR, "tally-shim of container " + containerId + " answered START with '"
                        + reply + "'");
            }
        }
        if (reply.startsWith("ERR ")) {
            throw new DomainException(Kind.START_FAILED, awaitCreateError(shim).orElse(reply.substring(4)));
        }
        throw new DomainException(Kind.HOST_ERROR, "tally-shim of container " + containerId + " answered START with '" + reply + "'");
    }

    /** runc's text as it printed it (the ERR reply has it on one line). */
    private static Optional<String> awaitCreateError(ShimDir shim) {
        long deadline = System.nanoTime() + CREATE_ERROR_WAIT.toNanos();
        while (true) {
            Optional<String> text = StartFailures.readCreateError(shim.createErrorFile());
            if (text.isPresent() || System.nanoTime() > deadline) {
                return text;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return text;
            }
        }
    }

    /** Sets the terminal size of the shim's process; NOT_RUNNING when no shim answers. */
    public void resize(ShimDir shim, String what, int rows, int cols) throws DomainException {
        String reply;
        try {
            reply = command(shim, "RESIZE " + rows + " " + cols);
        } catch (IOException e) {
            throw new DomainException(Kind.NOT_RUNNING, what + " is not running");
        }
        if (!reply.startsWith("OK")) {
            throw new DomainException(Kind.INVALID_CONFIG, "cannot resize " + what + ": " + reply);
        }
    }
}
