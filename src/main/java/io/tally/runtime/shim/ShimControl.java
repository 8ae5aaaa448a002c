package io.tally.runtime.shim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** tally-shim's control socket: one command line, one reply line (src/native/README.md). */
public final class ShimControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_REPLY = 4096;

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
}
