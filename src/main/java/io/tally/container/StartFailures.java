package io.tally.container;

/** The exit code `docker run` reports when the process could not start, from runc's message (as dockerd does). */
final class StartFailures {
    private StartFailures() {
    }

    static int exitCodeFor(String message) {
        String m = message == null ? "" : message;
        if (m.contains("executable file not found") || m.contains("no such file or directory")) {
            return 127;
        }
        if (m.contains("permission denied")) {
            return 126;
        }
        return 128;
    }
}
