package io.tally.runtime.runc;

import io.tally.runtime.ContainerRuntime;
import io.tally.events.DomainException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The bundle writer tallyd uses: Docker's defaults (capabilities, masked paths, mounts, resources) via {@link OciSpecBuilder}. */
public final class OciBundleWriter implements BundleWriter {
    private final OciSpecBuilder builder;

    public OciBundleWriter(OciSpecBuilder builder) {
        this.builder = builder;
    }

    @Override
    public void write(Path bundleDir, ContainerRuntime.StartRequest r, Path rootfs, String cgroupsPath) throws DomainException {
        try {
            ResolvedUser user = UserResolver.resolve(rootfs, r.user(), r.groupAdd());
            ContainerRuntime.Resources res = r.resources();
            ContainerSpec.Builder spec = ContainerSpec.builder(r.containerId(), rootfs, r.args())
                    .hostname(r.hostname())
                    .env(r.env())
                    .cwd(r.workingDir() == null || r.workingDir().isBlank() ? "/" : r.workingDir())
                    .user(r.user())
                    .groupAdd(r.groupAdd())
                    .tty(r.tty())
                    .openStdin(r.openStdin())
                    .privileged(r.privileged())
                    .capAdd(r.capAdd())
                    .capDrop(r.capDrop())
                    .readonlyRootfs(r.readonlyRootfs())
                    .cgroupsPath(cgroupsPath)
                    .resources(res);
            for (ContainerRuntime.BindMount m : r.binds()) {
                spec.mount(new ContainerSpec.BindMount(m.source(), m.destination(), m.readOnly(), m.propagation()));
            }
            builder.build(spec.build(), user).writeTo(bundleDir);
        } catch (IllegalArgumentException e) {
            throw new DomainException(DomainException.Kind.INVALID_CONFIG, e.getMessage(), e);
        } catch (IOException e) {
            throw new DomainException(DomainException.Kind.HOST_ERROR, "cannot write the OCI bundle: " + e.getMessage(), e);
        }
    }
}
