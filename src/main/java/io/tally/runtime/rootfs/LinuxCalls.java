package io.tally.runtime.rootfs;

import jnr.constants.platform.Errno;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.SaveError;

/**
 * The system calls the runtime makes itself: mount(2) and umount2(2) (tallyd must not depend on
 * mount(8) and its option parsing), and unshare(2)/chdir(2) for mounting with relative paths.
 * Bound from libc with jnr-ffi.
 */
public final class LinuxCalls {

    public static final int MNT_DETACH = 2;
    static final int CLONE_FS = 0x00000200;
    static final int EINVAL = Errno.EINVAL.intValue();
    static final int EBUSY = Errno.EBUSY.intValue();
    static final int ENOENT = Errno.ENOENT.intValue();

    public interface LibC {
        @SaveError
        int mount(String source, String target, String fsType, long flags, String data);

        @SaveError
        int umount2(String target, int flags);

        @SaveError
        int unshare(int flags);

        @SaveError
        int chdir(String path);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

    private LinuxCalls() {
    }

    public static LibC libc() {
        return LIBC;
    }

    /**
     * errno of the last call made through {@link #libc()} on this thread; read it right after the call.
     * (A virtual thread can only move to another carrier at a blocking point, and there is none between.)
     */
    static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    static String describe(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == null || e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.description();
    }
}
