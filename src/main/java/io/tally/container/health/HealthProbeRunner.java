package io.tally.container.health;

import io.tally.container.ContainerNames;
import io.tally.container.api.HealthProbeResult;
import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime.ProcessState;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.runtime.shim.Attachment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one probe as Docker does: an exec of the check's command in the container (no TTY, no
 * stdin), its output read through an attach session opened before the process starts, killed when
 * it outlasts the timeout. A probe is not a user's exec session: nothing is recorded for it, and its
 * files are deleted once it ended.
 */
final class HealthProbeRunner {
    /** How long a killed probe may take to be reported gone before its files are deleted anyway. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(20);

    private final ExecRuntime execs;
    private final Attachment.Attacher attacher;
    private final Map<String, ProbeOutput> starting = new ConcurrentHashMap<>();

    HealthProbeRunner(ExecRuntime execs, Attachment.Attacher attacher) {
        this.execs = execs;
        this.attacher = attacher;
    }

    /** The container runtime's before-start hook: a probe's output is attached before its process runs. */
    void attachIfProbe(String execId, Path controlSocket) {
        ProbeOutput output = starting.get(execId);
        if (output == null) {
            return;
        }
        try {
            output.readFrom(attacher.attach(controlSocket, false, true, true));
        } catch (IOException e) {
            output.unavailable();
        }
    }

    /** @return the probe's result; empty when the container does not run (nothing to judge) */
    Optional<HealthProbeResult> run(String containerId, HealthCheckSpec spec) throws InterruptedException {
        String execId = ContainerNames.newId();
        ProbeOutput output = new ProbeOutput();
        starting.put(execId, output);
        Instant start = Instant.now();
        Instant deadline = start.plus(spec.timeout());
        boolean launched = false;
        try {
            try {
                execs.exec(new ExecRuntime.ExecRequest(containerId, execId, spec.probe(), List.of(), "", "", false, false, false));
                launched = true;
            } catch (DomainException f) {
                if (f.kind() == DomainException.Kind.NOT_RUNNING) {
                    return Optional.empty();
                }
                // Docker counts a probe that cannot run as a failure with its error as the output.
                return Optional.of(new HealthProbeResult(start, Instant.now(), -1, f.getMessage()));
            } finally {
                starting.remove(execId);
            }
            Optional<Integer> exitCode = output.awaitEnd(Duration.between(Instant.now(), deadline))
                    ? exitCode(containerId, execId, deadline) : Optional.empty();
            if (exitCode.isEmpty()) {
                execs.killExec(containerId, execId);
                exitCode(containerId, execId, Instant.now().plus(KILL_GRACE));
                String said = output.text();
                String message = "Health check exceeded timeout (" + GoDurations.of(spec.timeout()) + ")";
                return Optional.of(new HealthProbeResult(start, Instant.now(), -1, said.isEmpty() ? message : message + ": " + said));
            }
            return Optional.of(new HealthProbeResult(start, Instant.now(), exitCode.get(), output.text()));
        } catch (InterruptedException e) {
            // the monitor stops (container stopped, tallyd stopping): the probe must not outlive it
            if (launched) {
                execs.killExec(containerId, execId);
            }
            throw e;
        } finally {
            output.close();
            if (launched) {
                execs.forgetExec(containerId, execId);
            }
        }
    }

    /** The probe's exit code once its shim reports the exit; empty if it has not ended by {@code deadline}. */
    private Optional<Integer> exitCode(String containerId, String execId, Instant deadline) throws InterruptedException {
        while (true) {
            ProcessState state = execs.execState(containerId, execId);
            if (state instanceof ProcessState.Exited x) {
                return Optional.of(x.status().exitCode());
            }
            if (state instanceof ProcessState.Gone) {
                return Optional.of(-1); // its shim vanished without an exit status: a failed probe
            }
            if (Instant.now().isAfter(deadline)) {
                return Optional.empty();
            }
            Thread.sleep(POLL);
        }
    }
}
