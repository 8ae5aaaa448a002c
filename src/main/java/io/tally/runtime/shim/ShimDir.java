package io.tally.runtime.shim;

import java.nio.file.Path;

/**
 * A tally-shim's state directory (src/native/README.md, "Files in STATE_DIR"). A container has one;
 * each exec session in it has its own, so that their sockets, pids and exit records never mix.
 *
 * @param exec whether the shim serves an exec session ({@code --exec}) rather than the container
 */
public record ShimDir(Path dir, boolean exec) {

    public Path socket() {
        return dir.resolve("shim.sock");
    }

    public Path pidFile() {
        return dir.resolve("shim.pid");
    }

    public Path initPidFile() {
        return dir.resolve("init.pid");
    }

    public Path exitFile() {
        return dir.resolve("exit.json");
    }

    public Path createErrorFile() {
        return dir.resolve("create-error");
    }
}
