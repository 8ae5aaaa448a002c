package io.tally.runtime.rootfs;

import io.tally.runtime.rootfs.ContainerFilesystem.PathStat;
import io.tally.store.TarUnpacker;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * `docker cp`: files in and out of a container's root filesystem as tar, with paths resolved the
 * way the container sees them (symlinks followed inside the rootfs, never out of it).
 */
final class RootfsArchive {

    private RootfsArchive() {
    }

    /** The host path of {@code path} in the container: parents resolved inside the rootfs, the last component not followed. */
    static Path locate(Path rootfs, String path) throws IOException {
        String clean = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        int slash = clean.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : clean.substring(0, slash);
        String name = clean.substring(slash + 1);
        Path dir = RootfsPath.resolve(rootfs, parent);
        return name.isEmpty() || name.equals(".") ? dir : dir.resolve(name);
    }

    static PathStat stat(Path rootfs, String path) throws IOException {
        Path p = locate(rootfs, path);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path);
        }
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        long mode = permissions(a.permissions());
        if (a.isDirectory()) {
            mode |= 1L << 31;
        } else if (a.isSymbolicLink()) {
            mode |= 1L << 27;
        }
        String link = a.isSymbolicLink() ? Files.readSymbolicLink(p).toString() : "";
        String name = p.equals(rootfs.toRealPath()) ? "/" : p.getFileName().toString();
        return new PathStat(name, a.size(), mode, a.lastModifiedTime().toInstant(), link);
    }

    /** Writes {@code path} (a file, or a directory with everything below it) as a tar whose top entry is its base name. */
    static void write(Path rootfs, String path, OutputStream out) throws IOException {
        Path source = locate(rootfs, path);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path);
        }
        String top = source.equals(rootfs.toRealPath()) ? "." : source.getFileName().toString();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                add(tar, dir, name(top, source, dir) + "/");
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                add(tar, file, name(top, source, file));
                return FileVisitResult.CONTINUE;
            }
        });
        tar.finish();
        tar.flush();
    }

    /** Extracts a tar into the directory {@code path} of the container, with the layer unpacker's safety rules. */
    static void extract(Path rootfs, String path, InputStream tar) throws IOException {
        Path target = RootfsPath.resolve(rootfs, path);
        if (!Files.isDirectory(target)) {
            throw new NoSuchFileException(path);
        }
        new TarUnpacker().unpack(tar, target);
    }

    private static String name(String top, Path base, Path p) {
        String rel = base.relativize(p).toString();
        return rel.isEmpty() ? top : top + "/" + rel;
    }

    private static void add(TarArchiveOutputStream tar, Path p, String name) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry e;
        if (a.isSymbolicLink()) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else {
            e = new TarArchiveEntry(name);
            if (a.isRegularFile()) {
                e.setSize(a.size());
            }
        }
        e.setMode((int) (permissions(a.permissions()) | (a.isDirectory() ? 040000 : a.isSymbolicLink() ? 0120000 : 0100000)));
        e.setModTime(a.lastModifiedTime().toMillis());
        Object uid = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object gid = Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        e.setIds((Integer) uid, (Integer) gid);
        tar.putArchiveEntry(e);
        if (a.isRegularFile()) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    private static long permissions(Set<PosixFilePermission> perms) {
        long m = 0;
        for (PosixFilePermission p : perms) {
            m |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return m;
    }
}
