package io.tally.logs;

import io.tally.runtime.logfile.LogFileId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * How far a container's log has been shipped: the log file (which keeps its identity when rotation
 * renames it to {@code container.log.1}), the byte offset in it, and the number of lines shipped so far
 * (each line's {@code seq}, by which consumers drop the repeats an interrupted batch may cause).
 */
record LogCursor(LogFileId file, long offset, long lines) {
    static final LogCursor START = new LogCursor(LogFileId.NONE, 0, 0);

    static Optional<LogCursor> read(Path file) {
        try {
            String[] f = Files.readString(file).strip().split(" ");
            return Optional.of(new LogCursor(new LogFileId(Long.parseLong(f[0]), f[3]), Long.parseLong(f[1]), Long.parseLong(f[2])));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, this.file.inode() + " " + offset + " " + lines + " " + this.file.head() + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
