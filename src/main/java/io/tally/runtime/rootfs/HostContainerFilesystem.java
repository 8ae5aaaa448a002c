package io.tally.runtime.rootfs;

import io.tally.events.DomainException;
import io.tally.store.LayerTarWriter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/** {@link ContainerFilesystem} on the overlay root file systems of this host. */
public final class HostContainerFilesystem implements ContainerFilesystem {

    /** Where a container's files are; the runtime that owns the directories answers. */
    public interface Layout {
        /** The merged root file system, mounted again if needed. */
        Path mountedRootfs(String containerId) throws DomainException;

        /** The overlay upper dir: what the container changed. */
        Path upperDir(String containerId);

        /** Image layers under the container, top first. */
        List<Path> lowerDirs(String containerId) throws IOException;
    }

    private final Layout layout;

    public HostContainerFilesystem(Layout layout) {
        this.layout = layout;
    }

    @Override
    public PathStat stat(String containerId, String path) throws IOException {
        return RootfsArchive.stat(layout.mountedRootfs(containerId), path);
    }

    @Override
    public TarSource archive(String containerId, String path) {
        Path rootfs = layout.mountedRootfs(containerId);
        return out -> RootfsArchive.write(rootfs, path, out);
    }

    @Override
    public void extract(String containerId, String path, InputStream tar) throws IOException {
        RootfsArchive.extract(layout.mountedRootfs(containerId), path, tar);
    }

    @Override
    public List<Change> changes(String containerId) throws IOException {
        return RootfsChanges.of(layout.upperDir(containerId), layout.lowerDirs(containerId));
    }

    @Override
    public long changesSize(String containerId) throws IOException {
        return RootfsChanges.sizeOf(layout.upperDir(containerId));
    }

    @Override
    public TarSource export(String containerId) {
        Path rootfs = layout.mountedRootfs(containerId);
        return out -> LayerTarWriter.writeDirectoryAsTar(rootfs, out);
    }
}
