package io.tally.runtime.rootfs;

import io.tally.events.DomainException;
import io.tally.events.DomainException.Kind;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Deletes a container's directory without ever reaching outside it. Two ways out exist: a symlink (the
 * layer links, anything a container wrote into upper/) and a mount (the overlay rootfs, whose lower
 * dirs are shared image layers). Symlinks are deleted, never followed; mounts must be gone before, and
 * the walk refuses to enter any directory on another device in case one appeared meanwhile.
 */
public final class ContainerDirDeleter {

    private ContainerDirDeleter() {
    }

    public static void delete(String id, Path dir) throws DomainException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> mounts = MountTable.mountPointsAtOrUnder(dir);
        if (!mounts.isEmpty()) {
            throw new DomainException(Kind.HOST_ERROR, "refusing to delete the directory of container " + id
                    + " while " + mounts + " is mounted in it");
        }
        try {
            Object device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (!device.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                        throw new IOException(d + " is on another file system (a mount appeared)");
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "deleting the directory of container " + id + " (" + dir
                    + "): " + e, e);
        }
    }
}
