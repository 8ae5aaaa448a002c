package io.tally.runtime.rootfs;

import io.tally.events.DomainException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;

/**
 * A container's files as the container sees them: `docker cp` in and out, the path stat it shows
 * first, `docker diff` and `docker export`. Paths are resolved inside the container's root file
 * system (symlinks followed inside it, never out of it); a root file system that is not mounted
 * (after a host reboot) is mounted again first, or the call fails with a {@link DomainException}.
 */
public interface ContainerFilesystem {

    /** @throws java.nio.file.NoSuchFileException when nothing is at {@code path} */
    PathStat stat(String containerId, String path) throws IOException;

    /**
     * {@code path} (a file, or a directory with everything below it) as a tar whose top entry is its
     * base name. The root file system is located now; the tar is written when asked.
     */
    TarSource archive(String containerId, String path);

    /**
     * Unpacks a tar into the directory {@code path}, with the image layer unpacker's safety rules.
     *
     * @throws java.nio.file.NoSuchFileException when {@code path} is not a directory
     */
    void extract(String containerId, String path, InputStream tar) throws IOException;

    /** What the container changed compared with its image, sorted by path. */
    List<Change> changes(String containerId) throws IOException;

    /** Bytes the container wrote (its upper dir's files): Docker's SizeRw. */
    long changesSize(String containerId) throws IOException;

    /** The whole root file system as a tar; located now, written when asked. */
    TarSource export(String containerId);

    /** A tar to be written. */
    @FunctionalInterface
    interface TarSource {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What Docker puts in X-Docker-Container-Path-Stat. {@code mode} is a Go os.FileMode. */
    record PathStat(String name, long size, long mode, Instant mtime, String linkTarget) {
    }

    /** Docker's change kinds; their order is Docker's numbering (0 modified, 1 added, 2 deleted). */
    enum ChangeKind { MODIFIED, ADDED, DELETED }

    record Change(String path, ChangeKind kind) {
    }
}
