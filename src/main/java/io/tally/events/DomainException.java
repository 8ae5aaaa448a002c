package io.tally.events;

/**
 * A refusal, decided by the domain (aggregates and services) or by the host (runc, the shim, a mount,
 * a cgroup). The message is meant for users: Docker shows runc's start errors verbatim, and the CLI
 * maps "executable file not found" to exit 127 and "permission denied" to 126. The kind tells the
 * HTTP layer which status to answer, and the aggregates how to record a host's refusal.
 */
public class DomainException extends RuntimeException {
    public enum Kind {
        INVALID, NOT_FOUND, CONFLICT, NOT_MODIFIED, FAILED,
        /** The host cannot express what was asked (a bad signal, a second prepare, an unresolvable user). */
        INVALID_CONFIG,
        /** The container (or exec session) has no live process on the host. */
        NOT_RUNNING,
        /** runc could not start the process; the message is runc's. */
        START_FAILED,
        /** The host itself failed (a mount, a write, a shim that does not answer). */
        HOST_ERROR
    }

    private final Kind kind;

    public DomainException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DomainException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static DomainException invalid(String message) {
        return new DomainException(Kind.INVALID, message);
    }

    public static DomainException notFound(String message) {
        return new DomainException(Kind.NOT_FOUND, message);
    }

    public static DomainException conflict(String message) {
        return new DomainException(Kind.CONFLICT, message);
    }
}
