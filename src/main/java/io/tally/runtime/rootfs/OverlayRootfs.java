package io.tally.runtime.rootfs;

import io.tally.events.DomainException;
import io.tally.runtime.ContainerFiles;
import io.tally.events.DomainException.Kind;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Mounts and unmounts a container's overlay root filesystem with mount(2)/umount2(2). */
public final class OverlayRootfs {

    private static final Path OVERLAY_PARAMETERS = Path.of("/sys/module/overlay/parameters");
    private static final int MAX_UNMOUNTS = 16;

    private final List<String> extraOptions;

    public OverlayRootfs() {
        this(OverlayOptions.hostDefaults(OVERLAY_PARAMETERS));
    }

    public OverlayRootfs(List<String> extraOptions) {
        this.extraOptions = List.copyOf(extraOptions);
    }

    public boolean isMounted(ContainerFiles files) {
        return MountTable.isMountPoint(files.rootfs());
    }

    /** Mounts {@code rootfs}; upper, work and the mount point must exist. */
    public void mount(String id, ContainerFiles files, List<Path> lowerTopFirst) throws DomainException {
        try {
            List<Path> lowers = lowerTopFirst;
            if (lowers.isEmpty()) {
                Files.createDirectories(files.emptyLower());
                lowers = List.of(files.emptyLower());
            }
            Optional<String> direct = OverlayOptions.absolute(lowers, files.upper(), files.work(), extraOptions);
            if (direct.isPresent() && OverlayOptions.fits(direct.get())) {
                mountFrom(null, files.rootfs(), direct.get(), id);
                return;
            }
            String relative = OverlayOptions.relative(lowers.size(), extraOptions);
            if (!OverlayOptions.fits(relative)) {
                throw new DomainException(Kind.INVALID_CONFIG, "container " + id + ": an image of " + lowers.size()
                        + " layers is more than an overlay mount can take");
            }
            linkLayers(files.layerLinks(), lowers);
            mountFrom(files.layerLinks(), files.rootfs(), relative, id);
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "preparing the overlay mount of container " + id + ": " + e, e);
        }
    }

    /** Unmounts every mount stacked on {@code rootfs}; lazily when the file system is busy. */
    public void unmount(String id, ContainerFiles files) throws DomainException {
        Path rootfs = files.rootfs();
        for (int i = 0; i < MAX_UNMOUNTS && MountTable.isMountPoint(rootfs); i++) {
            if (LinuxCalls.libc().umount2(rootfs.toString(), 0) == 0) {
                continue;
            }
            int errno = LinuxCalls.errno();
            if (errno == LinuxCalls.EBUSY) {
                // Something of the host still uses it (a shell's cwd, a leaked fd): detach it from the
                // tree now, the kernel frees it when the last user goes. The layers stay intact either way.
                if (LinuxCalls.libc().umount2(rootfs.toString(), LinuxCalls.MNT_DETACH) == 0) {
                    continue;
                }
                errno = LinuxCalls.errno();
            }
            if (errno == LinuxCalls.EINVAL) {
                break; // no longer a mount point: someone else unmounted it meanwhile
            }
            throw new DomainException(Kind.HOST_ERROR, "unmounting the root filesystem of container " + id + " ("
                    + rootfs + ") failed: " + LinuxCalls.describe(errno));
        }
        if (MountTable.isMountPoint(rootfs)) {
            throw new DomainException(Kind.HOST_ERROR, "the root filesystem of container " + id + " (" + rootfs
                    + ") is still mounted after " + MAX_UNMOUNTS + " unmounts");
        }
    }

    /** Replaces the links of a previous mount: the layers are those of this mount only. */
    private static void linkLayers(Path dir, List<Path> lowers) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir)) {
            for (Path link : old) {
                Files.delete(link);
            }
        }
        for (int i = 0; i < lowers.size(); i++) {
            Files.createSymbolicLink(dir.resolve(Integer.toString(i)), lowers.get(i).toAbsolutePath());
        }
    }

    /**
     * Mounts with relative paths resolved from {@code cwd} (absolute paths when null). chdir(2) acts on
     * the whole JVM, so the call runs on a platform thread of its own that first leaves the JVM's shared
     * file system context (unshare(CLONE_FS)); the thread, and its working directory, end with the call.
     */
    private static void mountFrom(Path cwd, Path target, String data, String id) throws DomainException {
        AtomicReference<String> failure = new AtomicReference<>();
        Thread mounter = Thread.ofPlatform().name("tally-overlay-mount-" + id).unstarted(() -> {
            LinuxCalls.LibC libc = LinuxCalls.libc();
            if (cwd != null) {
                if (libc.unshare(LinuxCalls.CLONE_FS) != 0) {
                    failure.set("unshare(CLONE_FS): " + LinuxCalls.describe(LinuxCalls.errno()));
                    return;
                }
                if (libc.chdir(cwd.toString()) != 0) {
                    failure.set("chdir " + cwd + ": " + LinuxCalls.describe(LinuxCalls.errno()));
                    return;
                }
            }
            if (libc.mount("overlay", target.toString(), "overlay", 0, data) != 0) {
                failure.set(LinuxCalls.describe(LinuxCalls.errno()));
            }
        });
        mounter.start();
        joinUninterruptibly(mounter);
        if (failure.get() != null) {
            throw new DomainException(Kind.HOST_ERROR, "mounting the overlay root filesystem of container " + id
                    + " on " + target + " failed: " + failure.get() + " (the kernel log may tell more)");
        }
    }

    /** Giving up on the join would leave a mount nobody knows about; mount(2) is quick, so wait it out. */
    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
