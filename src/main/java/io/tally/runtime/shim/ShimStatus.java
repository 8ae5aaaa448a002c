package io.tally.runtime.shim;

import io.tally.runtime.ContainerRuntime.ExitStatus;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The shim's answer to STATUS (src/native/README.md, "Control socket"). */
public sealed interface ShimStatus {

    /** runc created the container; START has not been sent yet. */
    record Created(long pid) implements ShimStatus {
    }

    /** Also while a paused process is frozen; the shim does not know about pausing. */
    record Running(long pid) implements ShimStatus {
    }

    record Exited(ExitStatus status) implements ShimStatus {
    }

    /** START failed; the message is runc's. */
    record Failed(String message) implements ShimStatus {
    }

    static ShimStatus parse(String reply) {
        String line = reply.strip();
        String[] f = line.split(" ");
        try {
            switch (f[0]) {
                case "CREATED":
                    return new Created(Long.parseLong(f[1]));
                case "RUNNING":
                    return new Running(Long.parseLong(f[1]));
                case "EXITED":
                    return new Exited(new ExitStatus(Integer.parseInt(f[1]), Integer.parseInt(f[2]), "1".equals(f[3]),
                            Instant.parse(f[4]), null));
                case "FAILED":
                    return new Failed(line.substring("FAILED".length()).strip());
                default:
                    break;
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException | DateTimeParseException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("tally-shim answered STATUS with '" + line + "'");
    }
}
