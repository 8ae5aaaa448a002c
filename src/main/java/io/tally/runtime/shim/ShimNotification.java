package io.tally.runtime.shim;

import io.tally.runtime.ContainerIds;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A line a shim writes to tallyd's notify socket (src/native/README.md, "Exit", step 5):
 * {@code EXIT <id> <exitCode>} for a container, {@code EXEC_EXIT <id> <exitCode> <state-dir>} for an
 * exec session in it (the state dir is the rest of the line and may hold spaces).
 */
public sealed interface ShimNotification {

    record ContainerExit(String containerId, int exitCode) implements ShimNotification {
    }

    record ExecExit(String containerId, int exitCode, Path stateDir) implements ShimNotification {
    }

    /** Empty for anything else: the socket is tallyd's, but a garbled line must not stop the others. */
    static Optional<ShimNotification> parse(String line) {
        String[] f = line.split(" ", 4);
        try {
            if (f.length == 3 && f[0].equals("EXIT") && ContainerIds.isValid(f[1])) {
                return Optional.of(new ContainerExit(f[1], Integer.parseInt(f[2])));
            }
            if (f.length == 4 && f[0].equals("EXEC_EXIT") && ContainerIds.isValid(f[1]) && f[3].startsWith("/")) {
                return Optional.of(new ExecExit(f[1], Integer.parseInt(f[2]), Path.of(f[3])));
            }
        } catch (NumberFormatException | java.nio.file.InvalidPathException e) {
            // not a notification
        }
        return Optional.empty();
    }
}
