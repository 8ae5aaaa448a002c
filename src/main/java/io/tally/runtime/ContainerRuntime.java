package io.tally.runtime;

import io.tally.events.DomainException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host side of a container's life: root filesystem, OCI bundle, tally-shim, runc, cgroups.
 * The only code that changes the host for containers. Aggregates call it from command handlers,
 * never from event-sourcing handlers (a replay must not touch the host).
 *
 * <p>Every method either completes or leaves nothing behind (no mount, cgroup, process or file
 * of half-done work) and throws {@link DomainException} with a message fit for users.
 */
public interface ContainerRuntime {

    /** Creates the container's directory and mounts its overlay root filesystem (image layers + a fresh upper dir). */
    void prepare(String containerId, List<Path> lowerDirsTopFirst) throws DomainException;

    /**
     * Writes the OCI bundle, launches tally-shim (which runs {@code runc create}) and starts the
     * process. Re-mounts the root filesystem if it is not mounted (after a host reboot).
     *
     * @return the container's init pid on the host
     */
    long start(StartRequest request) throws DomainException;

    /** Sends a signal to the container's init process ({@code runc kill}); a stopped container is an error. */
    void kill(String containerId, int signal) throws DomainException;

    void pause(String containerId) throws DomainException;

    void resume(String containerId) throws DomainException;

    /** What the shim says now: running (with pid), exited (with its exit file), or gone. */
    ProcessState state(String containerId);

    /** Stops anything still running (SIGKILL), unmounts the root filesystem, removes the cgroup and the container's directory. */
    void remove(String containerId) throws DomainException;

    /** Directory of the container's files (rootfs mount point, upper dir, bundle, shim state, log). */
    Path containerDir(String containerId);

    /** The shim's log file of the container's output (CRI format), for logs. */
    Path logFile(String containerId);

    /** Ids of containers that have a directory on this host (for reconciliation at start). */
    List<String> containerIdsOnDisk() throws IOException;

    /** What tallyd learns when a shim reports an exit (through the notify socket). */
    interface ExitListener {
        void exited(String containerId, ExitStatus status);
    }

    void onExit(ExitListener listener);

    /** The container's tally-shim control socket (attach, resize, stdin), present while its shim runs. */
    Path controlSocket(String containerId);

    /**
     * Called after the shim has created the container (or listens for an exec session) and before the
     * process starts: attachers connect here, so they miss no output.
     *
     * @param id the container's id, or the exec session's id
     */
    interface BeforeStart {
        void created(String id, Path controlSocket);
    }

    /** Adds a hook; every hook is called for every start. */
    void beforeStart(BeforeStart hook);

    /** Sets the size of the container's terminal (TTY containers only). */
    void resize(String containerId, int rows, int cols) throws DomainException;

    /**
     * Runs a process in the running container (an exec session, with its own tally-shim). The
     * {@link BeforeStart} hooks are called with the exec id once the session's shim listens and before
     * the process starts, so attachers miss nothing.
     *
     * @return the process's pid on the host
     * @throws DomainException NOT_RUNNING when the container does not run, START_FAILED with runc's words
     *                        when the process could not be started
     */
    long exec(ExecRequest request) throws DomainException;

    /** Sets the terminal size of an exec session (TTY sessions only). */
    void resizeExec(String containerId, String execId, int rows, int cols) throws DomainException;

    /** What an exec session's shim says now (as {@link #state} does for the container). */
    ProcessState execState(String containerId, String execId);

    /** What tallyd learns when an exec session's shim reports its process's exit. */
    interface ExecExitListener {
        void execExited(String containerId, String execId, ExitStatus status);
    }

    void onExecExit(ExecExitListener listener);

    /** The container's merged root filesystem, mounted (again, after a reboot) if needed: for cp, export and diff. */
    Path rootfs(String containerId) throws DomainException;

    /** The overlay upper dir: what the container changed. */
    Path upperDir(String containerId);

    /** Image layers under the container, top first. */
    List<Path> lowerDirs(String containerId) throws IOException;

    /** Host pids of the container's processes (from its cgroup); empty when it does not run. */
    List<Long> pids(String containerId);

    /** The container's cgroup directory for a v1 controller ("memory", "cpuacct", "pids"), or the v2 unified one. */
    Path cgroupDir(String containerId, String controller);

    /** A start: everything the OCI spec needs, already resolved from image and container config. */
    record StartRequest(
            String containerId,
            String hostname,
            List<String> args,
            List<String> env,
            String workingDir,
            String user,
            boolean tty,
            boolean openStdin,
            boolean stdinOnce,
            boolean privileged,
            List<String> capAdd,
            List<String> capDrop,
            Resources resources,
            List<BindMount> binds,
            boolean readonlyRootfs,
            long logMaxSize,
            int logMaxFiles) {
    }

    /** An exec session: the process to run in the container, over the container's own process spec. */
    record ExecRequest(
            String containerId,
            String execId,
            List<String> args,
            List<String> env,
            String workingDir,
            String user,
            boolean tty,
            boolean stdin,
            boolean privileged) {
    }

    record Resources(long memoryBytes, long memorySwapBytes, long cpuShares, long cpuQuota, long cpuPeriod,
                     long nanoCpus, String cpusetCpus, String cpusetMems, long pidsLimit) {
        public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, null, null, 0);
    }

    record BindMount(String source, String destination, boolean readOnly) {
    }

    /** @param signal 0 when the process exited by itself; exitCode is 128+signal otherwise (Docker's rule) */
    record ExitStatus(int exitCode, int signal, boolean oomKilled, java.time.Instant exitedAt, String error) {
    }

    sealed interface ProcessState {
        record Running(long pid, boolean paused) implements ProcessState {
        }

        record Exited(ExitStatus status) implements ProcessState {
        }

        /** No shim and no exit file: the container's process is gone without a trace (e.g. host reboot). */
        record Gone(String reason) implements ProcessState {
        }

        record NotCreated() implements ProcessState {
        }
    }

}
