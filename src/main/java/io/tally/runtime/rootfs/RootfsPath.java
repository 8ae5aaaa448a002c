package io.tally.runtime.rootfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Paths inside a container's rootfs, resolved the way a process chrooted to it would see them: every symlink is
 * read and followed <em>inside</em> the rootfs (an absolute target restarts at the rootfs, ".." stops at it), so
 * an image's /etc/passwd -> /host/file or -> ../../../etc/shadow never reaches the host's files. The rootfs must
 * not be changed concurrently by someone untrusted (as usual for an unstarted container's overlay).
 */
public final class RootfsPath {
    /** Linux gives up after 40 links per lookup; be as strict. */
    private static final int MAX_LINKS = 40;
    /** Files read from images are small; anything larger is refused rather than loaded. */
    public static final long MAX_READ_BYTES = 16L * 1024 * 1024;

    private RootfsPath() {
    }

    /** The host path for {@code path} as seen inside the container rooted at {@code rootfs}; may not exist. */
    public static Path resolve(Path rootfs, String path) throws IOException {
        Path root = rootfs.toRealPath();
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links resolving " + path + " in " + rootfs);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else {
                done.add(part);
            }
        }
        return join(root, done);
    }

    /**
     * The contents of the regular file at {@code path} inside the rootfs, or empty when there is none. Refuses
     * (IOException) anything that is not a regular file — a device or FIFO planted at /etc/passwd must not hang or
     * flood the daemon — and files above {@link #MAX_READ_BYTES}.
     */
    public static Optional<byte[]> readRegularFile(Path rootfs, String path) throws IOException {
        Path file = resolve(rootfs, path);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attrs.isRegularFile()) {
            throw new IOException(path + " in the container's rootfs is not a regular file");
        }
        if (attrs.size() > MAX_READ_BYTES) {
            throw new IOException(path + " in the container's rootfs is larger than " + MAX_READ_BYTES + " bytes");
        }
        // O_NOFOLLOW: if the last component was swapped for a symlink since resolve(), fail instead of following it
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes((int) MAX_READ_BYTES + 1);
            if (bytes.length > MAX_READ_BYTES) {
                throw new IOException(path + " in the container's rootfs is larger than " + MAX_READ_BYTES + " bytes");
            }
            if (!file.toRealPath().startsWith(rootfs.toRealPath())) {
                throw new IOException(path + " escaped the container's rootfs while being read");
            }
            return Optional.of(bytes);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }
}
