package io.tally.runtime;

/**
 * The host refused: runc, the shim, a mount or a cgroup. The message is meant for users (Docker
 * shows runc's start errors verbatim, and the CLI maps "executable file not found" to exit 127
 * and "permission denied" to 126).
 */
public class RuntimeFailure extends Exception {
    public enum Kind { INVALID_CONFIG, NOT_RUNNING, START_FAILED, HOST_ERROR }

    private final Kind kind;

    public RuntimeFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RuntimeFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
