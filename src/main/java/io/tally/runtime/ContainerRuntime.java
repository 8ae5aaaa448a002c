package io.tally.runtime;

import io.tally.events.DomainException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * Applies new limits to a running container's cgroup ({@code docker update}); the next start takes them
     * from the stored HostConfig.
     *
     * @throws DomainException INVALID_CONFIG for limits Docker refuses, HOST_ERROR when the cgroup refuses them
     */
    void updateResources(String containerId, Resources resources) throws DomainException;

    /** Sets the size of the container's terminal (TTY containers only). */
    void resize(String containerId, int rows, int cols) throws DomainException;

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
            int logMaxFiles,
            List<String> groupAdd,
            boolean keepLogs) {
    }

    /**
     * Docker's HostConfig resources, in its units: bytes, CPU shares, microseconds, nano CPUs (--cpus × 10^9).
     * {@code memorySwapBytes} is memory+swap like {@code --memory-swap} (-1 = unlimited swap); {@code pidsLimit}
     * below zero is unlimited. Zero means not set.
     */
    record Resources(long memoryBytes, long memorySwapBytes, long cpuShares, long cpuQuota, long cpuPeriod,
                     long nanoCpus, String cpusetCpus, String cpusetMems, long pidsLimit) {
        public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, null, null, 0);

        public Resources withMemory(long bytes) {
            return new Resources(bytes, memorySwapBytes, cpuShares, cpuQuota, cpuPeriod, nanoCpus, cpusetCpus, cpusetMems, pidsLimit);
        }

        public Resources withMemorySwap(long bytes) {
            return new Resources(memoryBytes, bytes, cpuShares, cpuQuota, cpuPeriod, nanoCpus, cpusetCpus, cpusetMems, pidsLimit);
        }

        public Resources withCpuShares(long shares) {
            return new Resources(memoryBytes, memorySwapBytes, shares, cpuQuota, cpuPeriod, nanoCpus, cpusetCpus, cpusetMems, pidsLimit);
        }

        public Resources withCpuQuota(long quota, long period) {
            return new Resources(memoryBytes, memorySwapBytes, cpuShares, quota, period, nanoCpus, cpusetCpus, cpusetMems, pidsLimit);
        }

        public Resources withNanoCpus(long nano) {
            return new Resources(memoryBytes, memorySwapBytes, cpuShares, cpuQuota, cpuPeriod, nano, cpusetCpus, cpusetMems, pidsLimit);
        }

        public Resources withCpuset(String cpus, String mems) {
            return new Resources(memoryBytes, memorySwapBytes, cpuShares, cpuQuota, cpuPeriod, nanoCpus, cpus, mems, pidsLimit);
        }

        public Resources withPidsLimit(long limit) {
            return new Resources(memoryBytes, memorySwapBytes, cpuShares, cpuQuota, cpuPeriod, nanoCpus, cpusetCpus, cpusetMems, limit);
        }
    }

    /** @param propagation rprivate (Docker's default) when null or empty */
    record BindMount(String source, String destination, boolean readOnly, String propagation) {
        public BindMount(String source, String destination, boolean readOnly) {
            this(source, destination, readOnly, null);
        }
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
