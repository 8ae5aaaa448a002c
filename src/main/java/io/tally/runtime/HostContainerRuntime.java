package io.tally.runtime;

import io.tally.events.DomainException;
import io.tally.runtime.cgroup.CgroupDirs;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.runtime.exec.HostExecRuntime;
import io.tally.runtime.rootfs.MountTable;
import io.tally.store.FileTrees;
import io.tally.runtime.rootfs.ContainerEtcFiles;
import io.tally.runtime.rootfs.HostContainerFilesystem;
import io.tally.runtime.rootfs.OverlayRootfs;
import io.tally.runtime.runc.BundleWriter;
import io.tally.runtime.runc.CommandRunner;
import io.tally.runtime.runc.ResourceLimits;
import io.tally.runtime.runc.Runc;
import io.tally.runtime.shim.BufferedListeners;
import io.tally.runtime.shim.ExitFile;
import io.tally.runtime.shim.ProcStat;
import io.tally.runtime.shim.ShimControl;
import io.tally.runtime.shim.ShimDir;
import io.tally.runtime.shim.ShimLauncher;
import io.tally.runtime.shim.ShimNotification;
import io.tally.runtime.shim.ShimNotifyServer;
import io.tally.runtime.shim.ShimProcesses;
import io.tally.runtime.shim.ShimStatus;
import io.tally.events.DomainException.Kind;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * {@link ContainerRuntime} on this host: overlayfs root filesystems, OCI bundles, one tally-shim per
 * container, runc with its state under the data root. Layout:
 *
 * <pre>
 * &lt;dataRoot&gt;/containers/&lt;id&gt;/   rootfs/ upper/ work/ lower-dirs bundle/config.json shim/ container.log
 *                                hostname hosts resolv.conf (l/ empty-lower/ when needed)
 * &lt;dataRoot&gt;/run/shim-notify.sock   where shims report exits
 * &lt;dataRoot&gt;/runc/                  runc --root
 * </pre>
 *
 * <p>Calls for one container must not overlap (the container's aggregate serializes them); calls for
 * different containers may. The notify socket listens from construction until {@link #close()}.
 */
public final class HostContainerRuntime implements ContainerRuntime, HostContainerFilesystem.Layout, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HostContainerRuntime.class);

    private static final Duration SHIM_START_TIMEOUT = Duration.ofSeconds(30);
    /** How long remove() waits for a SIGKILLed container to be reported dead before forcing runc. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHIM_KILL_WAIT = Duration.ofSeconds(5);
    private static final int MAX_PENDING_NOTIFICATIONS = 10_000;

    private record ContainerExit(String containerId, ExitStatus status) {
    }

    private final Path containersDir;
    private final Runc runc;
    private final BundleWriter bundleWriter;
    private final ShimProcesses shims;
    private final ShimControl control;
    private final ShimLauncher launcher;
    private final OverlayRootfs overlay = new OverlayRootfs();
    private final CgroupDirs cgroups = new CgroupDirs(Path.of("/sys/fs/cgroup"));
    private final ContainerEtcFiles etcFiles = new ContainerEtcFiles(Path.of("/etc/resolv.conf"));
    private final BufferedListeners<ContainerExit> exits = new BufferedListeners<>(MAX_PENDING_NOTIFICATIONS);
    private final HostExecRuntime execs;
    private final ShimNotifyServer notifyServer;
    private final List<BeforeStart> beforeStart = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Creates the data root's directories and starts listening for shim notifications. {@code executor}
     * runs the accept loop (one task for as long as the runtime is open), serves each connection and
     * calls the listeners: a virtual-thread-per-task executor suits it.
     *
     * @param runcBinary runc's name (looked up in PATH) or path
     */
    public HostContainerRuntime(Path dataRoot, Path shimBinary, String runcBinary, BundleWriter bundleWriter,
                                ExecutorService executor) throws IOException {
        if (!Files.isExecutable(shimBinary)) {
            throw new IOException("tally-shim binary " + shimBinary + " is missing or not executable");
        }
        // mountinfo shows real paths: a data root reached through a symlink would never match it
        Path root = Files.createDirectories(dataRoot).toRealPath();
        this.containersDir = privateDir(root.resolve("containers"));
        Path runDir = privateDir(root.resolve("run"));
        this.runc = new Runc(runcBinary, privateDir(root.resolve("runc")));
        this.bundleWriter = bundleWriter;
        this.shims = new ShimProcesses(shimBinary);
        this.control = new ShimControl(shims);
        Path notifySocket = runDir.resolve("shim-notify.sock");
        this.launcher = new ShimLauncher(shimBinary.toAbsolutePath(), runc, notifySocket, SHIM_START_TIMEOUT);
        this.execs = new HostExecRuntime(this::files, runc, shims, control, launcher, this::notifyCreated);
        this.notifyServer = ShimNotifyServer.listen(notifySocket, executor, this::onNotification);
    }

    // ------------------------------------------------------------------ prepare

    @Override
    public void prepare(String containerId, List<Path> lowerDirsTopFirst) throws DomainException {
        String id = ContainerIds.require(containerId);
        ContainerFiles files = files(id);
        List<Path> lowers = checkedLowerDirs(id, lowerDirsTopFirst);
        try {
            // createDirectory fails if it exists: a second prepare must not adopt another's directory
            Files.createDirectory(files.dir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new DomainException(Kind.INVALID_CONFIG, "container " + id + " already has a directory on this host ("
                    + files.dir() + ")");
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "creating the directory of container " + id + ": " + e, e);
        }
        try {
            for (Path dir : List.of(files.rootfs(), files.upper(), files.work(), files.bundle(), files.shimState())) {
                Files.createDirectory(dir);
            }
            Files.write(files.lowerDirsFile(), lowers.stream().map(Path::toString).toList());
            overlay.mount(id, files, lowers);
        } catch (IOException | DomainException e) {
            DomainException failure = e instanceof DomainException rf ? rf
                    : new DomainException(Kind.HOST_ERROR, "preparing the directory of container " + id + ": " + e, e);
            undo(failure, () -> overlay.unmount(id, files), () -> deleteContainerDir(id, files.dir()));
            throw failure;
        }
    }

    private static List<Path> checkedLowerDirs(String id, List<Path> lowerDirsTopFirst) throws DomainException {
        List<Path> lowers = new ArrayList<>();
        for (Path lower : lowerDirsTopFirst) {
            Path absolute = lower.toAbsolutePath().normalize();
            if (absolute.toString().contains("\n")) {
                throw new DomainException(Kind.INVALID_CONFIG, "layer directory name with a newline: " + absolute);
            }
            if (!Files.isDirectory(absolute)) {
                throw new DomainException(Kind.HOST_ERROR, "image layer directory " + absolute + " of container " + id
                        + " is missing");
            }
            lowers.add(absolute);
        }
        return lowers;
    }

    // -------------------------------------------------------------------- start

    @Override
    public long start(StartRequest request) throws DomainException {
        String id = ContainerIds.require(request.containerId());
        ContainerFiles files = files(id);
        if (!Files.isDirectory(files.dir(), LinkOption.NOFOLLOW_LINKS)) {
            throw new DomainException(Kind.INVALID_CONFIG, "container " + id
                    + " has no directory on this host: it was not prepared or has been removed");
        }
        discardLeftoverShim(id, files);
        try {
            ensureMounted(id, files);
            List<BindMount> etc = writeEtcFiles(id, files, request.hostname());
            bundleWriter.write(files.bundle(), withEtcBinds(request, etc), files.rootfs(), cgroupsPath(id));
            // runc's state of an earlier run survives a host crash (it is on disk) and create would refuse
            // the id; a process whose shim died is killed here rather than left running unsupervised
            runc.deleteForce(id);
            launcher.launch(files, request, cgroupsPath(id));
            notifyCreated(id, controlSocket(id));
            return startProcess(id, files);
        } catch (DomainException failure) {
            undo(failure,
                    () -> shims.kill(files.shim(), SHIM_KILL_WAIT),
                    () -> runc.deleteForce(id),
                    () -> cgroups.remove(id, cgroupsPath(id)),
                    () -> overlay.unmount(id, files));
            throw failure;
        }
    }

    /**
     * A shim of an earlier start still holding the state dir would make the new one refuse to start:
     * one that lingers after its process exited, one whose start was cut short (container created, never
     * started). Both are done with; a shim with a live process means the container is running.
     */
    private void discardLeftoverShim(String id, ContainerFiles files) throws DomainException {
        Optional<ProcessHandle> shim = shims.find(files.shim());
        if (shim.isEmpty()) {
            return;
        }
        Optional<ShimStatus> status = control.status(files.shim());
        boolean running = status.isPresent() ? status.get() instanceof ShimStatus.Running
                : runc.status(id).filter(s -> s == Runc.Status.RUNNING || s == Runc.Status.PAUSED).isPresent();
        if (running) {
            throw new DomainException(Kind.START_FAILED, "container " + id + " is already running");
        }
        shims.kill(files.shim(), SHIM_KILL_WAIT);
    }

    private void ensureMounted(String id, ContainerFiles files) throws DomainException {
        if (overlay.isMounted(files)) {
            return;
        }
        List<Path> lowers;
        try {
            lowers = Files.readAllLines(files.lowerDirsFile()).stream().filter(l -> !l.isEmpty()).map(Path::of).toList();
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "container " + id + " has no record of its image layers ("
                    + files.lowerDirsFile() + "), so its root filesystem cannot be mounted again", e);
        }
        overlay.mount(id, files, checkedLowerDirs(id, lowers));
    }

    private List<BindMount> writeEtcFiles(String id, ContainerFiles files, String hostname) throws DomainException {
        try {
            return etcFiles.write(files, hostname);
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "writing /etc files of container " + id + ": " + e, e);
        }
    }

    /** The container's /etc files first, then the user's binds; a user's bind of the same path wins. */
    static StartRequest withEtcBinds(StartRequest r, List<BindMount> etc) {
        List<BindMount> user = r.binds() == null ? List.of() : r.binds();
        List<BindMount> binds = new ArrayList<>();
        for (BindMount e : etc) {
            if (user.stream().noneMatch(u -> samePath(u.destination(), e.destination()))) {
                binds.add(e);
            }
        }
        binds.addAll(user);
        return new StartRequest(r.containerId(), r.hostname(), r.args(), r.env(), r.workingDir(), r.user(), r.tty(),
                r.openStdin(), r.stdinOnce(), r.privileged(), r.capAdd(), r.capDrop(), r.resources(), List.copyOf(binds),
                r.readonlyRootfs(), r.logMaxSize(), r.logMaxFiles(), r.groupAdd(), r.keepLogs());
    }

    private static boolean samePath(String a, String b) {
        return Path.of(a).normalize().equals(Path.of(b).normalize());
    }

    /** Attachers connect between create and start, so they see the process's first byte. */
    private void notifyCreated(String id, Path socket) {
        for (BeforeStart hook : beforeStart) {
            try {
                hook.created(id, socket);
            } catch (RuntimeException e) {
                LOG.warnf("before-start hook of %s failed: %s", id, e.getMessage());
            }
        }
    }

    @Override
    public void updateResources(String containerId, Resources resources) throws DomainException {
        String id = ContainerIds.require(containerId);
        String json;
        try {
            json = ResourceLimits.forLiveUpdate(id, resources).toString();
        } catch (IllegalArgumentException e) {
            throw new DomainException(Kind.INVALID_CONFIG, e.getMessage(), e);
        }
        Path file = files(id).dir().resolve("resources-update.json");
        try {
            Files.writeString(file, json);
            // runc orders the writes the kernel needs (e.g. memory+swap before a larger memory limit on v1)
            CommandRunner.Result result = runc.run("update", "--resources", file.toString(), id);
            if (result.exitCode() != 0) {
                throw new DomainException(Kind.HOST_ERROR, "Cannot update container " + id + ": " + Runc.errorText(result));
            }
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "writing the new limits of container " + id + ": " + e, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // in the container's own directory, removed with it
            }
        }
    }

    @Override
    public void resize(String containerId, int rows, int cols) throws DomainException {
        control.resize(files(containerId).shim(), "container " + containerId, rows, cols);
    }

    @Override
    public Path mountedRootfs(String containerId) throws DomainException {
        ContainerFiles files = files(containerId);
        ensureMounted(containerId, files);
        return files.rootfs();
    }

    @Override
    public Path upperDir(String containerId) {
        return files(containerId).upper();
    }

    @Override
    public List<Path> lowerDirs(String containerId) throws IOException {
        return Files.readAllLines(files(containerId).lowerDirsFile()).stream().filter(l -> !l.isEmpty()).map(Path::of).toList();
    }

    @Override
    public void beforeStart(BeforeStart hook) {
        beforeStart.add(hook);
    }

    @Override
    public Path controlSocket(String containerId) {
        ContainerFiles files = files(containerId);
        return control.socketAddress(files.shim()).orElse(files.shimSocket());
    }

    private long startProcess(String id, ContainerFiles files) throws DomainException {
        return control.start(files.shim(), id);
    }

    /** Exec sessions end with their container; their shims must not outlive its directory. */
    private void killExecShims(ContainerFiles files) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(files.execsDir())) {
            for (Path dir : dirs) {
                shims.kill(new ShimDir(dir, true), SHIM_KILL_WAIT);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no exec ever ran
        } catch (IOException e) {
            LOG.warnf("listing exec sessions in %s: %s", files.execsDir(), e.getMessage());
        }
    }

    // ------------------------------------------------------- kill, pause, resume

    @Override
    public void kill(String containerId, int signal) throws DomainException {
        String id = ContainerIds.require(containerId);
        if (signal < 1 || signal > 64) {
            throw new DomainException(Kind.INVALID_CONFIG, "invalid signal " + signal);
        }
        runcOnLiveProcess(id, "kill", Integer.toString(signal));
    }

    @Override
    public void pause(String containerId) throws DomainException {
        String id = ContainerIds.require(containerId);
        if (runc.status(id).orElse(null) == Runc.Status.PAUSED) {
            throw new DomainException(Kind.INVALID_CONFIG, "container " + id + " is already paused");
        }
        runcOnLiveProcess(id, "pause");
    }

    @Override
    public void resume(String containerId) throws DomainException {
        String id = ContainerIds.require(containerId);
        if (runc.status(id).orElse(null) == Runc.Status.RUNNING) {
            throw new DomainException(Kind.INVALID_CONFIG, "container " + id + " is not paused");
        }
        runcOnLiveProcess(id, "resume");
    }

    /** runc's message when its container is gone is not for users: "not running" is what they need to know. */
    private void runcOnLiveProcess(String id, String command, String... args) throws DomainException {
        if (!runc.knows(id)) {
            throw notRunning(id);
        }
        List<String> argv = new ArrayList<>(List.of(command, id));
        argv.addAll(List.of(args));
        CommandRunner.Result result = runc.run(argv.toArray(String[]::new));
        if (result.ok()) {
            return;
        }
        if (runc.status(id).filter(Runc.Status::hasProcess).isEmpty()) {
            throw notRunning(id);
        }
        throw new DomainException(Kind.HOST_ERROR, "runc " + command + " " + id + " failed: " + Runc.errorText(result));
    }

    private static DomainException notRunning(String id) {
        return new DomainException(Kind.NOT_RUNNING, "container " + id + " is not running");
    }

    // -------------------------------------------------------------------- state

    @Override
    public ProcessState state(String containerId) {
        if (!ContainerIds.isValid(containerId)) {
            return new ProcessState.NotCreated();
        }
        String id = containerId;
        ContainerFiles files = files(id);
        if (!Files.isDirectory(files.dir(), LinkOption.NOFOLLOW_LINKS)) {
            return new ProcessState.NotCreated();
        }
        Optional<ShimStatus> status = control.status(files.shim());
        if (status.isPresent()) {
            return switch (status.get()) {
                case ShimStatus.Running r -> new ProcessState.Running(r.pid(), isPaused(id));
                case ShimStatus.Exited e -> new ProcessState.Exited(e.status());
                case ShimStatus.Failed f -> new ProcessState.Exited(StartFailures.asExitStatus(
                        StartFailures.readCreateError(files.createErrorFile()).orElse(f.message()),
                        ExitFile.modified(files.createErrorFile())));
                // Only between the two halves of start(); seen from outside when tallyd died in between.
                case ShimStatus.Created c -> new ProcessState.Gone("container " + id
                        + " was created but its process was never started (tally-shim pid " + c.pid() + " waits)");
            };
        }
        Optional<ExitStatus> exit = ExitFile.read(files.exitFile());
        if (exit.isPresent()) {
            return new ProcessState.Exited(exit.get());
        }
        Optional<String> startError = StartFailures.readCreateError(files.createErrorFile());
        if (startError.isPresent()) {
            return new ProcessState.Exited(StartFailures.asExitStatus(startError.get(),
                    ExitFile.modified(files.createErrorFile())));
        }
        Optional<ProcessHandle> shim = shims.find(files.shim());
        if (shim.isPresent()) {
            return stateOfMuteShim(id, shim.get());
        }
        if (!Files.exists(files.shimPidFile())) {
            return new ProcessState.NotCreated(); // prepared, never started
        }
        return new ProcessState.Gone("tally-shim is gone and left no exit status");
    }

    /** A live shim that does not answer (wedged, or just starting up): runc knows whether the process runs. */
    private ProcessState stateOfMuteShim(String id, ProcessHandle shim) {
        try {
            var state = runc.state(id);
            if (state.isPresent()) {
                String status = state.get().path("status").asText();
                long pid = state.get().path("pid").asLong();
                if (status.equals("running") || status.equals("paused")) {
                    return new ProcessState.Running(pid, status.equals("paused"));
                }
            }
        } catch (DomainException e) {
            LOG.warnf("runc state %s: %s", id, e.getMessage());
        }
        return new ProcessState.Gone("tally-shim (pid " + shim.pid() + ") is alive but does not answer on "
                + "its control socket, and runc reports no running process");
    }

    private boolean isPaused(String id) {
        try {
            return runc.status(id).orElse(null) == Runc.Status.PAUSED;
        } catch (DomainException e) {
            LOG.warnf("runc state %s: %s", id, e.getMessage());
            return false;
        }
    }

    // ------------------------------------------------------------------- remove

    @Override
    public void remove(String containerId) throws DomainException {
        String id = ContainerIds.require(containerId);
        ContainerFiles files = files(id);
        stopEverything(id, files);
        // Unmount before deleting: deleting through a mounted overlay would whiteout, and a
        // mistaken walk across it could reach the shared image layers.
        overlay.unmount(id, files);
        cgroups.remove(id, cgroupsPath(id));
        deleteContainerDir(id, files.dir());
    }

    private void stopEverything(String id, ContainerFiles files) throws DomainException {
        Optional<Runc.Status> status = runc.status(id);
        if (status.orElse(null) == Runc.Status.PAUSED) {
            // frozen tasks do not act on SIGKILL until thawed (cgroup v1 freezer)
            runc.run("resume", id);
        }
        if (status.filter(Runc.Status::hasProcess).isPresent()) {
            runc.run("kill", id, "KILL");
            awaitProcessEnd(files);
        }
        runc.deleteForce(id);
        shims.kill(files.shim(), SHIM_KILL_WAIT);
        killExecShims(files);
        Optional<ProcessHandle> stubborn = shims.find(files.shim());
        if (stubborn.isPresent()) {
            throw new DomainException(Kind.HOST_ERROR, "tally-shim of container " + id + " (pid " + stubborn.get().pid()
                    + ") survived SIGKILL");
        }
    }

    /**
     * A shim records the exit (and runs runc delete) itself: let it, so that the exit is reported like any
     * other. Without a shim, the init pid is the only witness.
     */
    private void awaitProcessEnd(ContainerFiles files) {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        Optional<Long> init = ShimProcesses.readPid(files.initPidFile());
        while (System.nanoTime() < deadline) {
            boolean shimDone = Files.exists(files.exitFile()) || shims.find(files.shim()).isEmpty();
            boolean initDone = init.filter(ProcStat::isLive).isEmpty();
            if (shimDone && initDone) {
                return;
            }
            sleep(50);
        }
    }

    // --------------------------------------------------------------- listing, paths

    @Override
    public Path containerDir(String containerId) {
        if (!ContainerIds.isValid(containerId)) {
            throw new IllegalArgumentException("invalid container id '" + containerId + "'");
        }
        return files(containerId).dir();
    }

    @Override
    public Path logFile(String containerId) {
        return new ContainerFiles(containerDir(containerId)).log();
    }

    @Override
    public List<String> containerIdsOnDisk() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containersDir)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (ContainerIds.isValid(name) && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    ids.add(name);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    // -------------------------------------------------------------- notifications

    @Override
    public void onExit(ExitListener listener) {
        exits.add(e -> listener.exited(e.containerId(), e.status()));
    }

    /** Exec sessions in this runtime's containers (their shims report exits on the same socket). */
    public ExecRuntime execs() {
        return execs;
    }

    /** The shim writes exit.json before it notifies, so the full status is there to read. */
    private void onNotification(ShimNotification notification) {
        switch (notification) {
            case ShimNotification.ContainerExit exit -> exits.publish(new ContainerExit(exit.containerId(),
                    exitStatus(files(exit.containerId()).exitFile(), exit.exitCode())));
            case ShimNotification.ExecExit exit -> execs.exited(exit.containerId(),
                    exit.stateDir().getFileName().toString(), exitStatus(exit.stateDir().resolve("exit.json"), exit.exitCode()));
        }
    }

    private static ExitStatus exitStatus(Path exitFile, int exitCode) {
        return ExitFile.read(exitFile).orElseGet(() -> {
            LOG.infof("a shim reported exit code %d but %s is missing (removed meanwhile?)", exitCode, exitFile);
            return new ExitStatus(exitCode, 0, false, Instant.now(), null);
        });
    }

    /** Stops listening for shim notifications; containers and shims are left as they are. */
    @Override
    public void close() throws IOException {
        notifyServer.close();
    }

    // ------------------------------------------------------------------ helpers

    private ContainerFiles files(String id) {
        return new ContainerFiles(containersDir.resolve(id));
    }

    static String cgroupsPath(String id) {
        return CgroupDirs.pathOf(id);
    }

    /**
     * Unmounting comes first: deleting through a mounted overlay would whiteout, and a walk across it
     * could reach the shared image layers.
     */
    private static void deleteContainerDir(String id, Path dir) throws DomainException {
        List<Path> mounts = MountTable.mountPointsAtOrUnder(dir);
        if (!mounts.isEmpty()) {
            throw new DomainException(Kind.HOST_ERROR, "refusing to delete the directory of container " + id
                    + " while " + mounts + " is mounted in it");
        }
        try {
            FileTrees.deleteRecursively(dir);
        } catch (IOException e) {
            throw new DomainException(Kind.HOST_ERROR, "deleting the directory of container " + id + " (" + dir
                    + "): " + e, e);
        }
    }

    private static Path privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws DomainException;
    }

    /** Runs every clean-up step even if one fails; what failed is attached to the original failure. */
    private static void undo(DomainException cause, Step... steps) {
        for (Step step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
                LOG.warnf("cleaning up after '%s': %s", cause.getMessage(), e.getMessage());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
