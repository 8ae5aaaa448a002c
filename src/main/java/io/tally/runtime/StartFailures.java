package io.tally.runtime;

import io.tally.runtime.ContainerRuntime.ExitStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A start that failed before the process ran, as an exit status: Docker reports such containers with
 * exit code 127 (command not found), 126 (not executable) or 128 (anything else), and runc's text as the error.
 */
public final class StartFailures {

    private StartFailures() {
    }

    static ExitStatus asExitStatus(String message, java.time.Instant at) {
        return new ExitStatus(exitCodeFor(message), 0, false, at, message);
    }

    public static int exitCodeFor(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return 127;
        }
        if (m.contains("permission denied")) {
            return 126;
        }
        return 128;
    }

    /** An exec that could not start: 127 when the command is not there, 126 for anything else (Docker's rule for exec). */
    public static int execExitCodeFor(String message) {
        return exitCodeFor(message) == 127 ? 127 : 126;
    }

    /** runc's text from the shim's {@code create-error}, exactly as runc printed it (trailing newlines aside). */
    public static Optional<String> readCreateError(Path file) {
        try {
            String text = Files.readString(file).stripTrailing();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
