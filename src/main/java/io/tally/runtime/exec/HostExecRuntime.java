package io.tally.runtime.exec;

import io.tally.events.DomainException;
import io.tally.events.DomainException.Kind;
import io.tally.runtime.ContainerFiles;
import io.tally.runtime.ContainerIds;
import io.tally.runtime.ContainerRuntime.ExitStatus;
import io.tally.runtime.ContainerRuntime.ProcessState;
import io.tally.runtime.StartFailures;
import io.tally.runtime.runc.Runc;
import io.tally.runtime.shim.BufferedListeners;
import io.tally.runtime.shim.ExitFile;
import io.tally.runtime.shim.ShimControl;
import io.tally.runtime.shim.ShimDir;
import io.tally.runtime.shim.ShimLauncher;
import io.tally.runtime.shim.ShimProcesses;
import io.tally.runtime.shim.ShimStatus;
import io.tally.store.FileTrees;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * {@link ExecRuntime} on this host: a session's shim lives in {@code execs/<exec id>/} of its
 * container's directory and runs {@code runc exec} with a process.json derived from the container's
 * own config.json. The container runtime removes the sessions with their container.
 */
public final class HostExecRuntime implements ExecRuntime {
    private static final Logger LOG = Logger.getLogger(HostExecRuntime.class);
    private static final Duration SHIM_KILL_WAIT = Duration.ofSeconds(5);
    private static final int MAX_PENDING_NOTIFICATIONS = 10_000;

    private record ExecExit(String containerId, String execId, ExitStatus status) {
    }

    private final Function<String, ContainerFiles> files;
    private final Runc runc;
    private final ShimProcesses shims;
    private final ShimControl control;
    private final ShimLauncher launcher;
    private final BiConsumer<String, Path> beforeStart;
    private final BufferedListeners<ExecExit> exits = new BufferedListeners<>(MAX_PENDING_NOTIFICATIONS);

    /**
     * @param files       a container's directory by id
     * @param beforeStart called with the exec id and the session's control socket between create and start
     */
    public HostExecRuntime(Function<String, ContainerFiles> files, Runc runc, ShimProcesses shims, ShimControl control,
                           ShimLauncher launcher, BiConsumer<String, Path> beforeStart) {
        this.files = files;
        this.runc = runc;
        this.shims = shims;
        this.control = control;
        this.launcher = launcher;
        this.beforeStart = beforeStart;
    }

    @Override
    public long exec(ExecRequest request) throws DomainException {
        String id = ContainerIds.require(request.containerId());
        String execId = ContainerIds.require(request.execId());
        ContainerFiles container = files.apply(id);
        if (runc.status(id).orElse(null) != Runc.Status.RUNNING) {
            throw new DomainException(Kind.NOT_RUNNING, "container " + id + " is not running");
        }
        ShimDir shim = container.execShim(execId);
        Path processJson = shim.dir().resolve("process.json");
        try {
            Files.createDirectories(container.execsDir());
            Files.createDirectory(shim.dir());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new DomainException(Kind.INVALID_CONFIG, "exec " + execId + " has already been started");
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "creating the directory of exec " + execId + ": " + e, e);
        }
        ExecProcessSpec.write(container.bundle().resolve("config.json"), container.rootfs(), request, processJson);
        launcher.launchExec(shim, id, container.bundle(), processJson, request.tty(), request.stdin());
        beforeStart.accept(execId, control.socketAddress(shim).orElse(shim.socket()));
        try {
            return control.start(shim, id);
        } catch (DomainException failure) {
            try {
                shims.kill(shim, SHIM_KILL_WAIT);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
                LOG.warnf("cleaning up after '%s': %s", failure.getMessage(), e.getMessage());
            }
            throw failure;
        }
    }

    @Override
    public void resizeExec(String containerId, String execId, int rows, int cols) throws DomainException {
        control.resize(files.apply(containerId).execShim(ContainerIds.require(execId)), "exec " + execId, rows, cols);
    }

    @Override
    public ProcessState execState(String containerId, String execId) {
        if (!ContainerIds.isValid(containerId) || !ContainerIds.isValid(execId)) {
            return new ProcessState.NotCreated();
        }
        ShimDir shim = files.apply(containerId).execShim(execId);
        Optional<ShimStatus> status = control.status(shim);
        if (status.isPresent()) {
            return switch (status.get()) {
                case ShimStatus.Running r -> new ProcessState.Running(r.pid(), false);
                case ShimStatus.Exited e -> new ProcessState.Exited(e.status());
                case ShimStatus.Failed f -> new ProcessState.Exited(new ExitStatus(StartFailures.execExitCodeFor(f.message()),
                        0, false, ExitFile.modified(shim.createErrorFile()), f.message()));
                case ShimStatus.Created c -> new ProcessState.NotCreated();
            };
        }
        Optional<ExitStatus> exit = ExitFile.read(shim.exitFile());
        if (exit.isPresent()) {
            return new ProcessState.Exited(exit.get());
        }
        if (!Files.exists(shim.pidFile())) {
            return new ProcessState.NotCreated();
        }
        return new ProcessState.Gone("the exec session's tally-shim is gone and left no exit status");
    }

    @Override
    public void killExec(String containerId, String execId) {
        if (execState(containerId, execId) instanceof ProcessState.Running r) {
            ProcessHandle.of(r.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public void forgetExec(String containerId, String execId) {
        if (!ContainerIds.isValid(containerId) || !ContainerIds.isValid(execId)) {
            return;
        }
        try {
            FileTrees.deleteRecursively(files.apply(containerId).execShim(execId).dir());
        } catch (IOException e) {
            LOG.warnf("could not delete the files of exec %s: %s", execId, e.getMessage());
        }
    }

    @Override
    public void onExecExit(ExecExitListener listener) {
        exits.add(e -> listener.execExited(e.containerId(), e.execId(), e.status()));
    }

    /** A session's shim reported its exit (its state dir is named by the exec id). */
    public void exited(String containerId, String execId, ExitStatus status) {
        exits.publish(new ExecExit(containerId, execId, status));
    }
}
