package io.tally.store;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The few file system calls Java's NIO cannot make: numeric lchown, chmod with setuid/setgid/sticky bits,
 * symlinks with a byte-exact target, nanosecond times that do not follow symlinks, device nodes, and
 * xattrs outside the {@code user.} namespace (overlayfs keeps its metadata in {@code trusted.overlay.*}).
 *
 * <p>jnr-posix covers lchown, chmod, symlink and utimensat; it has no mknod or xattr calls, so those are
 * bound straight from libc with jnr-ffi. Every failure becomes an {@link IOException} naming the call,
 * the path and the errno text.
 */
final class NativeFs {

    static final int S_IFIFO = 0010000;
    static final int S_IFCHR = 0020000;
    static final int S_IFBLK = 0060000;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int ERANGE = 34;
    private static final int ENODATA = 61;

    /** libc calls jnr-posix does not offer. */
    public interface LibC {
        @SaveError
        int mknod(String path, int mode, long dev);

        @SaveError
        int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

        @SaveError
        @ssize_t
        long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

        @SaveError
        @ssize_t
        long llistxattr(String path, @Out byte[] list, @size_t long size);

        @SaveError
        int syncfs(int fd);
    }

    private static final NativeFs INSTANCE = new NativeFs();

    private final POSIX posix;
    private final LibC libc;
    private final jnr.ffi.Runtime libcRuntime;

    private NativeFs() {
        this.posix = POSIXFactory.getNativePOSIX();
        this.libc = LibraryLoader.create(LibC.class).load("c");
        this.libcRuntime = jnr.ffi.Runtime.getRuntime(libc);
    }

    static NativeFs get() {
        return INSTANCE;
    }

    void lchown(Path path, long uid, long gid) throws IOException {
        checkPosix(posix.lchown(path.toString(), (int) uid, (int) gid), "lchown", path);
    }

    /** Sets all 12 permission bits; NIO's PosixFilePermission cannot express setuid, setgid or sticky. */
    void chmod(Path path, int mode) throws IOException {
        checkPosix(posix.chmod(path.toString(), mode & 07777), "chmod", path);
    }

    /** The target is stored byte for byte: Path.of would normalise away "//" and trailing slashes. */
    void symlink(String target, Path link) throws IOException {
        checkPosix(posix.symlink(target, link.toString()), "symlink", link);
    }

    /** The target exactly as stored. */
    String readlink(Path link) throws IOException {
        String target = posix.readlink(link.toString());
        if (target == null) {
            int errno = posix.errno();
            throw new ErrnoException("readlink " + link + ": " + posix.strerror(errno), errno);
        }
        return target;
    }

    /** Sets atime and mtime on the entry itself, never on what a symlink points to. */
    void setTimesNoFollow(Path path, FileTime accessTime, FileTime modifiedTime) throws IOException {
        checkPosix(posix.utimensat(AT_FDCWD, path.toString(), timespec(accessTime), timespec(modifiedTime),
                AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    void mknod(Path path, int typeAndMode, int major, int minor) throws IOException {
        checkLibc(libc.mknod(path.toString(), typeAndMode, makedev(major, minor)), "mknod", path);
    }

    void lsetxattr(Path path, String name, byte[] value) throws IOException {
        checkLibc(libc.lsetxattr(path.toString(), name, value, value.length, 0), "lsetxattr " + name, path);
    }

    /** Returns the value, or null if the entry has no such attribute. */
    byte[] lgetxattr(Path path, String name) throws IOException {
        while (true) {
            long size = libc.lgetxattr(path.toString(), name, null, 0);
            if (size < 0) {
                if (errno() == ENODATA) {
                    return null;
                }
                throw failure("lgetxattr " + name, path);
            }
            byte[] value = new byte[(int) size];
            long read = libc.lgetxattr(path.toString(), name, value, value.length);
            if (read >= 0) {
                return read == size ? value : java.util.Arrays.copyOf(value, (int) read);
            }
            // The value grew between the two calls: ask again.
            if (errno() != ERANGE) {
                throw failure("lgetxattr " + name, path);
            }
        }
    }

    List<String> llistxattr(Path path) throws IOException {
        while (true) {
            long size = libc.llistxattr(path.toString(), null, 0);
            if (size < 0) {
                throw failure("llistxattr", path);
            }
            if (size == 0) {
                return List.of();
            }
            byte[] names = new byte[(int) size];
            long read = libc.llistxattr(path.toString(), names, names.length);
            if (read >= 0) {
                return splitNulTerminated(names, (int) read);
            }
            if (errno() != ERANGE) {
                throw failure("llistxattr", path);
            }
        }
    }

    /** Flushes the whole file system holding {@code path}; cheaper than fsyncing every file of a layer. */
    void syncFileSystem(Path path) throws IOException {
        int fd = posix.open(path.toString(), O_RDONLY | O_DIRECTORY, 0);
        if (fd < 0) {
            int errno = posix.errno();
            throw new ErrnoException("open " + path + ": " + posix.strerror(errno), errno);
        }
        try {
            if (libc.syncfs(fd) != 0) {
                throw failure("syncfs", path);
            }
        } finally {
            posix.close(fd);
        }
    }

    /** glibc's makedev: 12 bits of major and 20 of minor in the classic places, the rest above bit 32. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }

    private static long[] timespec(FileTime time) {
        var instant = time.toInstant();
        return new long[] {instant.getEpochSecond(), instant.getNano()};
    }

    private static List<String> splitNulTerminated(byte[] bytes, int length) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == 0) {
                if (i > start) {
                    out.add(new String(bytes, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private int errno() {
        return LastError.getLastError(libcRuntime);
    }

    private void checkPosix(int rc, String call, Path path) throws IOException {
        if (rc != 0) {
            int errno = posix.errno();
            throw new ErrnoException(call + " " + path + ": " + posix.strerror(errno), errno);
        }
    }

    private void checkLibc(long rc, String call, Path path) throws IOException {
        if (rc != 0) {
            throw failure(call, path);
        }
    }

    private ErrnoException failure(String call, Path path) {
        int errno = errno();
        return new ErrnoException(call + " " + path + ": " + posix.strerror(errno), errno);
    }
}
