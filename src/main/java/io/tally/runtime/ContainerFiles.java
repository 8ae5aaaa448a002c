package io.tally.runtime;

import io.tally.runtime.shim.ShimDir;
import java.nio.file.Path;

/**
 * Where a container's files live on the host, all under one directory
 * ({@code <dataRoot>/containers/<id>/}) so that removing the container is removing that directory.
 */
public record ContainerFiles(Path dir) {

    /** Mount point of the overlay root filesystem. */
    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    /** The container's own changes (overlay upperdir). */
    public Path upper() {
        return dir.resolve("upper");
    }

    /** overlay's scratch dir; must be on the same file system as upper. */
    public Path work() {
        return dir.resolve("work");
    }

    /** The image's layer directories, top first, one per line: what a re-mount after a reboot needs. */
    Path lowerDirsFile() {
        return dir.resolve("lower-dirs");
    }

    /** The lowerdir of an image without layers (overlay needs at least one). */
    public Path emptyLower() {
        return dir.resolve("empty-lower");
    }

    /** Short symlinks to the layer directories, used when the full lowerdir option would not fit a page. */
    public Path layerLinks() {
        return dir.resolve("l");
    }

    public Path bundle() {
        return dir.resolve("bundle");
    }

    /** tally-shim's state directory (shim.sock, shim.pid, exit.json, create-error, ...). */
    Path shimState() {
        return dir.resolve("shim");
    }

    public ShimDir shim() {
        return new ShimDir(shimState(), false);
    }

    Path shimSocket() {
        return shim().socket();
    }

    Path shimPidFile() {
        return shim().pidFile();
    }

    Path initPidFile() {
        return shim().initPidFile();
    }

    Path exitFile() {
        return shim().exitFile();
    }

    Path createErrorFile() {
        return shim().createErrorFile();
    }

    /** Exec sessions' shim state dirs, one per exec id. */
    public Path execsDir() {
        return dir.resolve("exec");
    }

    public ShimDir execShim(String execId) {
        return new ShimDir(execsDir().resolve(execId), true);
    }

    /** The container's output in the CRI format, written by the shim. */
    public Path log() {
        return dir.resolve("container.log");
    }

    public Path hostnameFile() {
        return dir.resolve("hostname");
    }

    public Path hostsFile() {
        return dir.resolve("hosts");
    }

    public Path resolvConfFile() {
        return dir.resolve("resolv.conf");
    }
}
