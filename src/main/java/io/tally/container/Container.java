package io.tally.container;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerFilesExtracted;
import io.tally.container.api.ContainerKilled;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerStopped;
import io.tally.container.api.ContainerHealthChanged;
import io.tally.container.api.HealthStatus;
import io.tally.container.api.RecordHealthProbe;
import io.tally.container.health.HealthCheckSpec;
import io.tally.container.health.HealthRules;
import io.tally.container.api.ContainerUnpaused;
import io.tally.container.api.ContainerUpdated;
import io.tally.container.api.UpdateContainer;
import io.tally.container.api.CreateContainer;
import io.tally.container.api.CreateExec;
import io.tally.container.api.ExecConfig;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecDied;
import io.tally.container.api.ExecStartFailed;
import io.tally.container.api.ExecStarted;
import io.tally.container.api.RecordExecExit;
import io.tally.container.api.StartExec;
import io.tally.container.api.KillContainer;
import io.tally.container.api.PauseContainer;
import io.tally.container.api.RecordFilesExtracted;
import io.tally.container.api.RecordContainerExit;
import io.tally.container.api.RemoveContainer;
import io.tally.container.api.RenameContainer;
import io.tally.container.api.StartContainer;
import io.tally.container.api.StopContainer;
import io.tally.container.api.UnpauseContainer;
import io.tally.container.create.CreateChecks;
import io.tally.container.create.HostConfig;
import io.tally.container.create.RestartPolicy;
import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.events.DomainException;
import io.tally.runtime.StartFailures;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A container. Command handlers decide and drive the runtime; event-sourcing handlers only
 * assign fields, so replaying a container's history never touches the host.
 */
public class Container {
    enum Status { CREATED, RUNNING, PAUSED, EXITED, REMOVED }

    @AggregateIdentifier
    private String containerId;
    private String name;
    private Map<String, Object> config;
    private Map<String, Object> hostConfig;
    private Status status;
    private long pid;
    private int restartCount;
    private boolean stopRequested;
    private Instant startedAt;
    private long lastBackoffMillis;
    private boolean restartPending;
    /** null while the container has no health check or has not run since it was created. */
    private HealthStatus health;
    /** Exec sessions not yet ended, by exec id; an ended one is forgotten (its facts stay in the history). */
    private Map<String, ExecSession> execs = new HashMap<>();

    /** @param pid 0 until started */
    record ExecSession(ExecConfig config, long pid) {
        boolean started() {
            return pid != 0;
        }
    }

    protected Container() {
        // for Axon
    }

    @CommandHandler
    public Container(CreateContainer cmd, ContainerRuntime runtime) {
        try {
            runtime.prepare(cmd.containerId(), cmd.lowerDirs().stream().map(Path::of).toList());
        } catch (DomainException f) {
            throw new DomainException(DomainException.Kind.FAILED, f.getMessage(), f);
        }
        // A create that does not commit (e.g. the name was taken meanwhile) must not leave a root filesystem behind.
        CurrentUnitOfWork.ifStarted(uow -> uow.onRollback(u -> removeQuietly(runtime, cmd.containerId())));
        apply(new ContainerCreated(cmd.containerId(), cmd.name(), cmd.image(), cmd.imageId(), cmd.config(), cmd.hostConfig(), cmd.lowerDirs()));
    }

    /** @return null when started, else the reason it could not start (recorded as ContainerStartFailed) */
    @CommandHandler
    public StartOutcome handle(StartContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        if (status == Status.RUNNING || status == Status.PAUSED) {
            if (StartContainer.USER.equals(cmd.reason())) {
                throw new DomainException(DomainException.Kind.NOT_MODIFIED, "container already started");
            }
            return StartOutcome.STARTED;
        }
        if (StartContainer.POLICY.equals(cmd.reason()) && stopRequested) {
            return StartOutcome.STARTED; // stopped by someone after the restart was scheduled
        }
        ContainerRuntime.StartRequest request = StartRequests.of(containerId, config, hostConfig);
        long newPid;
        try {
            newPid = runtime.start(request);
        } catch (DomainException f) {
            if (f.kind() == DomainException.Kind.HOST_ERROR) {
                throw new DomainException(DomainException.Kind.FAILED, f.getMessage(), f);
            }
            int code = StartFailures.exitCodeFor(f.getMessage());
            apply(new ContainerStartFailed(containerId, f.getMessage(), code));
            return new StartOutcome(f.getMessage(), code);
        }
        int count = StartContainer.POLICY.equals(cmd.reason()) ? restartCount + 1 : restartCount;
        apply(new ContainerStarted(containerId, newPid, cmd.reason(), count));
        return StartOutcome.STARTED;
    }

    /** @return whether a process was signalled (the caller then waits for its exit) */
    @CommandHandler
    public boolean handle(StopContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        if (status != Status.RUNNING && status != Status.PAUSED) {
            if (restartPending) {
                // Between a death and its scheduled restart: stopping means not restarting.
                apply(new ContainerStopRequested(containerId, cmd.signal(), cmd.timeoutSeconds()));
                return false;
            }
            throw new DomainException(DomainException.Kind.NOT_MODIFIED, "container already stopped");
        }
        apply(new ContainerStopRequested(containerId, cmd.signal(), cmd.timeoutSeconds()));
        try {
            signal(runtime, cmd.signal());
        } catch (DomainException e) {
            if (e.kind() != DomainException.Kind.CONFLICT) {
                throw e;
            }
            // it exited on its own at this very moment; its exit is on the way
        }
        return true;
    }

    @CommandHandler
    public void handle(KillContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        if (status != Status.RUNNING && status != Status.PAUSED) {
            throw DomainException.conflict("Cannot kill container: " + name + ": Container " + containerId + " is not running");
        }
        signal(runtime, cmd.signal());
        apply(new ContainerKilled(containerId, cmd.signal()));
    }

    private void signal(ContainerRuntime runtime, int signal) {
        try {
            runtime.kill(containerId, signal);
            if (status == Status.PAUSED) {
                // A frozen process cannot act on a signal; Docker thaws it so the signal lands.
                runtime.resume(containerId);
            }
        } catch (DomainException f) {
            throw new DomainException(f.kind() == DomainException.Kind.NOT_RUNNING ? DomainException.Kind.CONFLICT : DomainException.Kind.FAILED,
                    f.getMessage(), f);
        }
    }

    @CommandHandler
    public void handle(RecordContainerExit cmd) {
        if (status != Status.RUNNING && status != Status.PAUSED) {
            return; // already recorded (the shim's notice and reconciliation may both report one exit)
        }
        if (cmd.pid() != 0 && pid != 0 && cmd.pid() != pid) {
            return; // the exit of an earlier run
        }
        apply(new ContainerDied(containerId, pid, cmd.exitCode(), cmd.signal(), cmd.oomKilled(), cmd.exitedAt(), cmd.error()));
        if (stopRequested) {
            apply(new ContainerStopped(containerId));
            return;
        }
        RestartPolicy policy = HostConfig.parse(hostConfig).restartPolicy();
        if (policy.restartsAfter(cmd.exitCode(), restartCount, false)) {
            Duration ran = startedAt == null ? Duration.ZERO : Duration.between(startedAt, cmd.exitedAt());
            apply(new ContainerRestartScheduled(containerId, restartCount + 1, RestartPolicy.nextDelayMillis(lastBackoffMillis, ran)));
        }
    }

    @CommandHandler
    public void handle(PauseContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        if (status == Status.PAUSED) {
            throw DomainException.conflict("Container " + containerId + " is already paused");
        }
        if (status != Status.RUNNING) {
            throw DomainException.conflict("Container " + containerId + " is not running");
        }
        try {
            runtime.pause(containerId);
        } catch (DomainException f) {
            throw new DomainException(DomainException.Kind.FAILED, f.getMessage(), f);
        }
        apply(new ContainerPaused(containerId));
    }

    @CommandHandler
    public void handle(UnpauseContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        if (status != Status.PAUSED) {
            throw new DomainException(DomainException.Kind.FAILED, "Container " + containerId + " is not paused");
        }
        try {
            runtime.resume(containerId);
        } catch (DomainException f) {
            throw new DomainException(DomainException.Kind.FAILED, f.getMessage(), f);
        }
        apply(new ContainerUnpaused(containerId));
    }

    @CommandHandler
    public void handle(RenameContainer cmd) {
        requirePresent();
        ContainerNames.requireValid(cmd.newName());
        if (!cmd.newName().equals(name)) {
            apply(new ContainerRenamed(containerId, name, cmd.newName()));
        }
    }

    @CommandHandler
    public void handle(RemoveContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        boolean running = status == Status.RUNNING || status == Status.PAUSED;
        if (running && !cmd.force()) {
            throw DomainException.conflict("You cannot remove a running container " + containerId
                    + ". Stop the container before attempting removal or force remove");
        }
        try {
            runtime.remove(containerId);
        } catch (DomainException f) {
            throw new DomainException(DomainException.Kind.FAILED, "removal of container " + name + " failed: " + f.getMessage(), f);
        }
        if (running) {
            apply(new ContainerKilled(containerId, 9));
            apply(new ContainerDied(containerId, pid, 137, 9, false, Instant.now(), null));
        }
        apply(new ContainerRemoved(containerId));
    }

    @CommandHandler
    public void handle(RecordFilesExtracted cmd) {
        requirePresent();
        apply(new ContainerFilesExtracted(containerId, cmd.path()));
    }

    @CommandHandler
    public void handle(CreateExec cmd) {
        requirePresent();
        requireRunningForExec();
        if (cmd.config().cmd().isEmpty()) {
            throw DomainException.invalid("No exec command specified");
        }
        apply(new ExecCreated(containerId, cmd.execId(), cmd.config()));
    }

    /** @return STARTED, or why the exec's process could not start (recorded as ExecStartFailed) */
    @CommandHandler
    public StartOutcome handle(StartExec cmd, ExecRuntime runtime) {
        requirePresent();
        ExecSession exec = execs.get(cmd.execId());
        if (exec == null) {
            throw DomainException.notFound("No such exec instance: " + cmd.execId());
        }
        if (exec.started()) {
            throw DomainException.conflict("Error: Exec command " + cmd.execId() + " is already running");
        }
        requireRunningForExec();
        ExecConfig c = exec.config();
        long execPid;
        try {
            execPid = runtime.exec(new ExecRuntime.ExecRequest(containerId, cmd.execId(), c.cmd(), c.env(),
                    c.workingDir(), c.user(), c.tty(), c.attachStdin(), c.privileged()));
        } catch (DomainException f) {
            switch (f.kind()) {
                case NOT_RUNNING -> throw DomainException.conflict("Container " + containerId + " is not running");
                case HOST_ERROR -> throw new DomainException(DomainException.Kind.FAILED, f.getMessage(), f);
                default -> {
                    int code = StartFailures.execExitCodeFor(f.getMessage());
                    apply(new ExecStartFailed(containerId, cmd.execId(), f.getMessage(), code));
                    return new StartOutcome(f.getMessage(), code);
                }
            }
        }
        apply(new ExecStarted(containerId, cmd.execId(), execPid, cmd.detach()));
        return StartOutcome.STARTED;
    }

    @CommandHandler
    public void handle(RecordExecExit cmd) {
        ExecSession exec = execs.get(cmd.execId());
        if (exec == null || !exec.started()) {
            return; // already recorded, or never ran: the shim's notice and reconciliation may both report one exit
        }
        apply(new ExecDied(containerId, cmd.execId(), exec.pid(), cmd.exitCode(), cmd.signal(), cmd.exitedAt()));
    }

    /**
     * Decides what a health probe's result means (Docker's rules, {@link HealthRules}); only a change
     * of status is recorded.
     *
     * @return the health after the probe, for the monitor to count on; null when the probe no longer
     * applies (the container stopped or restarted meanwhile, or has no health check)
     */
    @CommandHandler
    public HealthRules.HealthState handle(RecordHealthProbe cmd) {
        requirePresent();
        var spec = HealthCheckSpec.of(config);
        if (status != Status.RUNNING || cmd.pid() != pid || spec.isEmpty() || health == null) {
            return null;
        }
        HealthRules.HealthState next = HealthRules.after(new HealthRules.HealthState(health, cmd.failingStreak()),
                cmd.result(), spec.get(), startedAt);
        if (next.status() != health) {
            apply(new ContainerHealthChanged(containerId, next.status(), next.failingStreak(), cmd.result()));
        }
        return next;
    }

    private void requireRunningForExec() {
        if (status == Status.PAUSED) {
            throw DomainException.conflict("Container " + name + " is paused, unpause the container before exec");
        }
        if (status != Status.RUNNING) {
            throw DomainException.conflict("Container " + containerId + " is not running");
        }
    }

    /**
     * {@code docker update}: the new HostConfig is checked as create checks it, a running container's cgroup
     * gets the new limits first (a refusal by the kernel records nothing), then the update is recorded.
     */
    @CommandHandler
    public void handle(UpdateContainer cmd, ContainerRuntime runtime) {
        requirePresent();
        ContainerUpdated update = new ContainerUpdated(containerId, Map.copyOf(cmd.resources()),
                cmd.restartPolicy() == null ? null : Map.copyOf(cmd.restartPolicy()));
        HostConfig before = HostConfig.parse(hostConfig);
        if (cmd.restartPolicy() != null && before.autoRemove()) {
            throw DomainException.invalid("Restart policy cannot be updated because AutoRemove is enabled for the container");
        }
        Map<String, Object> updated = update.appliedTo(hostConfig);
        CreateChecks.checkUpdate(before, HostConfig.parse(updated), CreateChecks.Host.local());
        if (status == Status.RUNNING || status == Status.PAUSED) {
            runtime.updateResources(containerId, StartRequests.of(containerId, config, updated).resources());
        }
        apply(update);
    }

    private void requirePresent() {
        if (status == null || status == Status.REMOVED) {
            throw DomainException.notFound("No such container: " + containerId);
        }
    }

    private static void removeQuietly(ContainerRuntime runtime, String id) {
        try {
            runtime.remove(id);
        } catch (DomainException ignored) {
            // best effort: the create failed anyway and reconciliation removes leftovers
        }
    }

    /** What a start command answers: {@link #STARTED}, or why the process could not start. */
    public record StartOutcome(String error, int exitCode) {
        public static final StartOutcome STARTED = new StartOutcome(null, 0);

        public boolean started() {
            return error == null;
        }
    }

    @EventSourcingHandler
    void on(ContainerCreated e) {
        containerId = e.containerId();
        name = e.name();
        config = e.config();
        hostConfig = e.hostConfig();
        status = Status.CREATED;
    }

    @EventSourcingHandler
    void on(ContainerStarted e, @Timestamp Instant at) {
        status = Status.RUNNING;
        restartPending = false;
        pid = e.pid();
        restartCount = e.restartCount();
        startedAt = at;
        // Docker starts every run's health over: starting, until a probe says otherwise.
        health = HealthCheckSpec.of(config).isPresent() ? HealthStatus.STARTING : null;
        if (!StartContainer.POLICY.equals(e.reason())) {
            stopRequested = false;
            lastBackoffMillis = 0;
        }
    }

    @EventSourcingHandler
    void on(ContainerStopRequested e) {
        stopRequested = true;
        restartPending = false;
    }

    @EventSourcingHandler
    void on(ContainerDied e) {
        status = Status.EXITED;
        pid = 0;
    }

    @EventSourcingHandler
    void on(ContainerHealthChanged e) {
        health = e.status();
    }

    @EventSourcingHandler
    void on(ContainerRestartScheduled e) {
        lastBackoffMillis = e.delayMillis();
        restartPending = true;
    }

    @EventSourcingHandler
    void on(ContainerPaused e) {
        status = Status.PAUSED;
    }

    @EventSourcingHandler
    void on(ContainerUnpaused e) {
        status = Status.RUNNING;
    }

    @EventSourcingHandler
    void on(ContainerUpdated e) {
        hostConfig = e.appliedTo(hostConfig);
    }

    @EventSourcingHandler
    void on(ContainerRenamed e) {
        name = e.newName();
    }

    @EventSourcingHandler
    void on(ContainerRemoved e) {
        status = Status.REMOVED;
        execs.clear();
    }

    @EventSourcingHandler
    void on(ExecCreated e) {
        execs.put(e.execId(), new ExecSession(e.config(), 0));
    }

    @EventSourcingHandler
    void on(ExecStarted e) {
        execs.computeIfPresent(e.execId(), (id, exec) -> new ExecSession(exec.config(), e.pid()));
    }

    @EventSourcingHandler
    void on(ExecStartFailed e) {
        execs.remove(e.execId());
    }

    @EventSourcingHandler
    void on(ExecDied e) {
        execs.remove(e.execId());
    }

}
