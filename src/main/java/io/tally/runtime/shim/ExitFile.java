package io.tally.runtime.shim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.runtime.ContainerRuntime.ExitStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The shim's {@code exit.json}: {@code {"exitCode":N,"signal":S,"oomKilled":b,"exitedAt":"RFC3339Nano","pid":P}}.
 * Written atomically (rename), so a file that is there is complete.
 */
public final class ExitFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExitFile() {
    }

    public static Optional<ExitStatus> read(Path file) {
        try {
            JsonNode exit = JSON.readTree(Files.readAllBytes(file));
            return Optional.of(new ExitStatus(exit.path("exitCode").asInt(), exit.path("signal").asInt(),
                    exit.path("oomKilled").asBoolean(), Instant.parse(exit.path("exitedAt").asText()), null));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | DateTimeParseException e) {
            // A file that cannot be read still means the process exited; its details are lost.
            return Optional.of(new ExitStatus(-1, 0, false, modified(file), "unreadable exit record " + file + ": " + e.getMessage()));
        }
    }

    public static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }
}
