package io.tally.container.health;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tally.container.ContainerJson;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerUnpaused;
import io.tally.container.api.HealthProbeResult;
import io.tally.container.api.RecordHealthProbe;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;
import io.tally.events.Actor;
import io.tally.events.AfterCommit;
import io.tally.events.Commands;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.runtime.shim.Attachment;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the health checks of running containers: one thread per container waits an interval, runs
 * a probe and reports the result to the container ({@link RecordHealthProbe}), which records a
 * status change when there is one. Watching starts with each start, pauses with the container,
 * stops when it dies or is removed and when tallyd stops, and resumes at boot for the containers
 * still running (live restore). Live only: the handlers act after commit, and a replay of history
 * never reaches them.
 */
@ApplicationScoped
public class HealthMonitor {
    public static final String NAME = "health-monitor";
    private static final Logger LOG = Logger.getLogger(HealthMonitor.class);

    @Inject ExecRuntime execs;
    @Inject ContainerRuntime runtime;
    @Inject Attachment.Attacher attacher;
    @Inject Commands commands;

    private final HealthLogs logs = new HealthLogs();
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private HealthProbeRunner probes;
    private volatile boolean resumed;
    private volatile boolean stopped;

    private final class Watch {
        final String containerId;
        final long pid;
        final HealthCheckSpec spec;
        volatile boolean paused;
        private final Thread thread;

        Watch(String containerId, long pid, HealthCheckSpec spec, boolean paused) {
            this.containerId = containerId;
            this.pid = pid;
            this.spec = spec;
            this.paused = paused;
            this.thread = Thread.ofPlatform().daemon().name("health-" + containerId.substring(0, 12)).unstarted(this::probeForever);
        }

        private void probeForever() {
            try {
                while (!stopped) {
                    Thread.sleep(spec.interval());
                    if (!paused) {
                        Optional<HealthProbeResult> result = probes.run(containerId, spec);
                        if (result.isPresent() && !report(result.get())) {
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                // unwatched
            } catch (RuntimeException e) {
                LOG.warnf("health check of container %s stopped: %s", containerId, e.getMessage());
            } finally {
                watches.remove(containerId, this);
            }
        }

        /** @return whether the container still runs the process this watch is for */
        private boolean report(HealthProbeResult result) {
            logs.add(containerId, result);
            HealthRules.HealthState after = commands.send(new RecordHealthProbe(containerId, pid, result, logs.streak(containerId)),
                    Actor.internal("health check"));
            if (after == null) {
                return false;
            }
            logs.streak(containerId, after.failingStreak());
            return true;
        }
    }

    @PostConstruct
    void init() {
        probes = new HealthProbeRunner(execs, attacher);
    }

    /** Boot phase: probes get their output from the runtime, and containers that run get their checks back. */
    public void resumeAtStart() {
        runtime.beforeStart(probes::attachIfProbe);
        resumed = true;
        List<ContainerView> running = QuarkusTransaction.requiringNew().call(() ->
                ContainerView.<ContainerView>list("state in ?1", List.of(ContainerStatus.RUNNING, ContainerStatus.PAUSED)));
        for (ContainerView c : running) {
            HealthCheckSpec.of(ContainerJson.map(c.config))
                    .ifPresent(spec -> watch(c.id, c.pid, spec, c.state == ContainerStatus.PAUSED));
        }
    }

    public void stop() {
        stopped = true;
        watches.values().forEach(w -> w.thread.interrupt());
        watches.clear();
    }

    /** The results remembered for {@code containerId}, oldest first (at most five). */
    List<HealthProbeResult> log(String containerId) {
        return logs.log(containerId);
    }

    /** The current failing streak while the container is watched. */
    Optional<Integer> failingStreak(String containerId) {
        return watches.containsKey(containerId) ? logs.knownStreak(containerId) : Optional.empty();
    }

    public Object handlers() {
        return new Handlers();
    }

    @ProcessingGroup(NAME)
    class Handlers {
        @EventHandler
        void on(ContainerStarted e) {
            String id = e.containerId();
            long pid = e.pid();
            AfterCommit.run(() -> started(id, pid));
        }

        @EventHandler
        void on(ContainerPaused e) {
            String id = e.containerId();
            AfterCommit.run(() -> Optional.ofNullable(watches.get(id)).ifPresent(w -> w.paused = true));
        }

        @EventHandler
        void on(ContainerUnpaused e) {
            String id = e.containerId();
            AfterCommit.run(() -> Optional.ofNullable(watches.get(id)).ifPresent(w -> w.paused = false));
        }

        @EventHandler
        void on(ContainerDied e) {
            String id = e.containerId();
            AfterCommit.run(() -> unwatch(id));
        }

        @EventHandler
        void on(ContainerRemoved e) {
            String id = e.containerId();
            AfterCommit.run(() -> {
                unwatch(id);
                logs.forget(id);
            });
        }
    }

    private void started(String id, long pid) {
        if (!resumed) {
            return; // the boot phase finds it running
        }
        try {
            Optional<HealthCheckSpec> spec = QuarkusTransaction.requiringNew().call(() -> ContainerView.<ContainerView>findByIdOptional(id)
                    .flatMap(v -> HealthCheckSpec.of(ContainerJson.map(v.config))));
            if (spec.isPresent()) {
                logs.streak(id, 0);
                watch(id, pid, spec.get(), false);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not start the health check of container %s: %s", id, e.getMessage());
        }
    }

    private void watch(String id, long pid, HealthCheckSpec spec, boolean paused) {
        if (stopped) {
            return;
        }
        watches.compute(id, (k, old) -> {
            if (old != null && old.pid == pid) {
                return old;
            }
            if (old != null) {
                old.thread.interrupt();
            }
            Watch w = new Watch(id, pid, spec, paused);
            w.thread.start();
            return w;
        });
    }

    private void unwatch(String id) {
        Watch w = watches.remove(id);
        if (w != null) {
            w.thread.interrupt();
        }
    }
}
