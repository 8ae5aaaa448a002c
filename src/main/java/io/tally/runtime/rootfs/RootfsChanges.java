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

/**
 * `docker diff`: what a container changed, read from its overlay upper dir. A whiteout (character
 * device 0/0) is a deletion; anything else present in an image layer is a change, the rest is new.
 */
final class RootfsChanges {
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
        return changes;
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
