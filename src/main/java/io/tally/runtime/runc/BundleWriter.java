package io.tally.runtime.runc;

import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime.StartRequest;

import java.nio.file.Path;

/**
 * Writes the {@code config.json} of a container's OCI bundle. The seam between the runtime, which owns
 * the host (directories, mounts, shim, runc, cgroups), and the OCI spec builder, which owns what the
 * container looks like from inside (process, user, capabilities, mounts, resources).
 */
public interface BundleWriter {

    /**
     * @param bundleDir    existing directory that receives {@code config.json}
     * @param request      the start; its binds already include the container's /etc/hostname, /etc/hosts and
     *                     /etc/resolv.conf (files in the container's directory), first, then the user's own
     *                     (a user's bind of one of those paths replaces the container's); mount them in order
     * @param rootfs       the mounted root filesystem, absolute ({@code root.path})
     * @param cgroupsPath  {@code linux.cgroupsPath}, e.g. {@code /tally/<id>}
     * @throws DomainException INVALID_CONFIG when the request cannot be expressed, HOST_ERROR when writing fails
     */
    void write(Path bundleDir, StartRequest request, Path rootfs, String cgroupsPath) throws DomainException;
}
