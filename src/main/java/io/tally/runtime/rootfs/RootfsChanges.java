package io.tally.runtime.rootfs;

import io.tally.runtime.rootfs.ContainerFilesystem.Change;
import io.tally.runtime.rootfs.ContainerFilesystem.ChangeKind;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * `docker diff`: what a container changed, read from its overlay upper dir. A whiteout (character
 * device 0/0) is a deletion; anything else present in an image layer is a change, the rest is new.
 */
final class RootfsChanges {
    private static final String ETC = "/etc";
    private static final Set<String> DAEMON_MANAGED =
            Set.of(ContainerEtcFiles.HOSTNAME, ContainerEtcFiles.HOSTS, ContainerEtcFiles.RESOLV_CONF);

    private RootfsChanges() {
    }

    static List<Change> of(Path upper, List<Path> lowers) throws IOException {
        List<Change> changes = new ArrayList<>();
        if (!Files.isDirectory(upper)) {
            return changes;
        }
        Files.walkFileTree(upper, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(upper)) {
                    record(dir, attrs);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                record(file, attrs);
                return FileVisitResult.CONTINUE;
            }

            private void record(Path p, BasicFileAttributes attrs) {
                String inContainer = "/" + upper.relativize(p);
                if (attrs.isOther() && isWhiteout(p)) {
                    changes.add(new Change(inContainer, ChangeKind.DELETED));
                } else {
                    boolean inImage = lowers.stream().anyMatch(l -> Files.exists(l.resolve(upper.relativize(p)), LinkOption.NOFOLLOW_LINKS));
                    changes.add(new Change(inContainer, inImage ? ChangeKind.MODIFIED : ChangeKind.ADDED));
                }
            }
        });
        changes.sort(java.util.Comparator.comparing(Change::path));
        return withoutDaemonManagedFiles(changes);
    }

    /** The size of the regular files in the upper dir (links are not followed; whiteouts have none). */
    static long sizeOf(Path upper) throws IOException {
        if (!Files.isDirectory(upper)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(upper, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /**
     * Docker leaves out the files it manages ({@link ContainerEtcFiles}): runc creates their mount points in
     * the upper dir, which is no change the container made. /etc goes too when those mount points are all
     * that is under it (a change to /etc's own mode or owner alone is not told apart from that: rare, and
     * Docker, whose init layer holds the mount points, would not show it either).
     */
    static List<Change> withoutDaemonManagedFiles(List<Change> changes) {
        List<Change> kept = new ArrayList<>(changes.stream().filter(c -> !DAEMON_MANAGED.contains(c.path())).toList());
        if (kept.size() != changes.size() && kept.stream().noneMatch(c -> c.path().startsWith(ETC + "/"))) {
            kept.removeIf(c -> c.path().equals(ETC) && c.kind() != ChangeKind.DELETED);
        }
        return kept;
    }

    private static boolean isWhiteout(Path p) {
        try {
            Object rdev = Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
            return rdev instanceof Long l && l == 0L;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
