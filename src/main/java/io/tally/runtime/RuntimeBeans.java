package io.tally.runtime;

import io.tally.daemon.TallyConfig;
import io.tally.runtime.cgroup.ContainerCgroups;
import io.tally.runtime.cgroup.HostContainerCgroups;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.runtime.logfile.ContainerLogs;
import io.tally.runtime.logfile.HostContainerLogs;
import io.tally.runtime.rootfs.ContainerFilesystem;
import io.tally.runtime.rootfs.HostContainerFilesystem;
import io.tally.runtime.runc.OciBundleWriter;
import io.tally.runtime.runc.OciSpecBuilder;
import io.tally.runtime.shim.Attachment;
import io.tally.runtime.shim.ShimAttachment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The host runtime's parts as beans: tally-shim and runc under the data root. Everything else reaches
 * the host through the interfaces produced here.
 */
@ApplicationScoped
class RuntimeBeans {

    @Produces
    @Singleton
    HostContainerRuntime runtime(TallyConfig config) throws IOException {
        return new HostContainerRuntime(config.dataRoot(), shimBinary(), "runc", new OciBundleWriter(OciSpecBuilder.forThisHost()),
                Executors.newVirtualThreadPerTaskExecutor());
    }

    void close(@Disposes HostContainerRuntime runtime) {
        try {
            runtime.close();
        } catch (Exception e) {
            // shutting down anyway; the notify socket file is replaced at the next start
        }
    }

    @Produces
    @Singleton
    ExecRuntime execs(HostContainerRuntime runtime) {
        return runtime.execs();
    }

    @Produces
    @Singleton
    ContainerFilesystem filesystem(HostContainerRuntime runtime) {
        return new HostContainerFilesystem(runtime);
    }

    @Produces
    @Singleton
    ContainerCgroups cgroups() {
        return new HostContainerCgroups(Path.of("/sys/fs/cgroup"));
    }

    @Produces
    @Singleton
    ContainerLogs logs(HostContainerRuntime runtime) {
        return new HostContainerLogs(runtime::logFile);
    }

    @Produces
    @Singleton
    Attachment.Attacher attacher() {
        return ShimAttachment::open;
    }

    /** -Dtally.shim, else next to the build output (target/native), else installed locations. */
    static Path shimBinary() throws IOException {
        List<Path> candidates = new java.util.ArrayList<>();
        Optional.ofNullable(System.getProperty("tally.shim")).map(Path::of).ifPresent(candidates::add);
        try {
            Path code = Path.of(RuntimeBeans.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/quarkus-app/app/tally.jar → target/native/tally-shim
            for (Path p = code; p != null; p = p.getParent()) {
                candidates.add(p.resolve("native/tally-shim"));
                candidates.add(p.resolve("bin/tally-shim"));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: rely on the fixed locations
        }
        candidates.add(Path.of("/usr/local/lib/tally/tally-shim"));
        candidates.add(Path.of("/usr/lib/tally/tally-shim"));
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return c;
            }
        }
        throw new IOException("tally-shim not found (looked in " + candidates + "); build it with ./mvnw package or set -Dtally.shim=PATH");
    }
}
