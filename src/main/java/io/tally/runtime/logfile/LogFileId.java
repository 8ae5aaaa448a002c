package io.tally.runtime.logfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which of a container's log files (CRI, {@link CriLog}) this is, across renames by rotation: its inode plus its first record's timestamp.
 * The inode alone is not enough: the file system hands a deleted file's inode to the next new file,
 * which is exactly what rotation creates.
 *
 * @param head the first record's timestamp (nanoseconds, so no two files share it), or "-" while the file is empty
 */
public record LogFileId(long inode, String head) {
    public static final LogFileId NONE = new LogFileId(-1, "-");
    private static final int HEAD_BYTES = 40;

    /** NONE when the file is not there. */
    public static LogFileId of(Path file) {
        try {
            long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            try (InputStream in = Files.newInputStream(file)) {
                String start = new String(in.readNBytes(HEAD_BYTES), StandardCharsets.US_ASCII);
                int space = start.indexOf(' ');
                return new LogFileId(inode, space > 0 ? start.substring(0, space) : "-");
            }
        } catch (IOException | UnsupportedOperationException e) {
            return NONE;
        }
    }

    public boolean exists() {
        return inode >= 0;
    }

    /** The same file, possibly renamed; a file seen empty is known by its inode only. */
    public boolean sameFileAs(LogFileId other) {
        return exists() && inode == other.inode && (head.equals("-") || head.equals(other.head));
    }
}
