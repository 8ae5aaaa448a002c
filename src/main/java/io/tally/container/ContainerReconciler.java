package io.tally.container;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tally.container.api.RecordContainerExit;
import io.tally.container.api.StartContainer;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;
import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.runtime.ContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Live restore. Containers keep running while tallyd is down (their shims do not need it); at start
 * tallyd compares what the read model believes with what the host shows: a running shim is
 * re-adopted, an exit that happened meanwhile is recorded with its real status, a container gone
 * without a trace is recorded as died with the reason, and container directories the store does not
 * know are removed. Shim exit notices are wired here too.
 */
@ApplicationScoped
public class ContainerReconciler {
    private static final Logger LOG = Logger.getLogger(ContainerReconciler.class);

    @Inject ContainerRuntime runtime;
    @Inject Commands commands;

    public void reconcileAtStart() {
        runtime.onExit((id, status) -> record(id, 0, status, Actor.internal("tally-shim exit notice")));
        List<ContainerView> believedRunning = QuarkusTransaction.requiringNew().call(() ->
                ContainerView.<ContainerView>list("state in ?1", List.of(ContainerStatus.RUNNING, ContainerStatus.PAUSED, ContainerStatus.RESTARTING)));
        for (ContainerView c : believedRunning) {
            try {
                reconcile(c);
            } catch (RuntimeException e) {
                LOG.errorf("could not reconcile container %s: %s", c.id, e.getMessage());
            }
        }
        removeOrphans();
    }

    private void reconcile(ContainerView c) {
        Actor actor = Actor.internal("live restore");
        if (c.state == ContainerStatus.RESTARTING) {
            commands.send(new StartContainer(c.id, StartContainer.POLICY), actor);
            return;
        }
        switch (runtime.state(c.id)) {
            case ContainerRuntime.ProcessState.Running r -> LOG.infof("re-adopted running container %s (pid %d)", c.name, r.pid());
            case ContainerRuntime.ProcessState.Exited x -> record(c.id, c.pid, x.status(), actor);
            case ContainerRuntime.ProcessState.Gone g -> record(c.id, c.pid,
                    new ContainerRuntime.ExitStatus(255, 0, false, Instant.now(), g.reason()), actor);
            case ContainerRuntime.ProcessState.NotCreated n -> record(c.id, c.pid,
                    new ContainerRuntime.ExitStatus(255, 0, false, Instant.now(), "the container's files are gone from the host"), actor);
        }
    }

    private void record(String id, long pid, ContainerRuntime.ExitStatus s, Actor actor) {
        try {
            commands.send(new RecordContainerExit(id, pid, s.exitCode(), s.signal(), s.oomKilled(),
                    s.exitedAt() == null ? Instant.now() : s.exitedAt(), s.error()), actor);
        } catch (RuntimeException e) {
            LOG.warnf("could not record the exit of container %s: %s", id, e.getMessage());
        }
    }

    private void removeOrphans() {
        try {
            Set<String> known = new HashSet<>(QuarkusTransaction.requiringNew().call(() ->
                    ContainerView.<ContainerView>listAll().stream().map(v -> v.id).toList()));
            for (String id : runtime.containerIdsOnDisk()) {
                if (!known.contains(id)) {
                    LOG.warnf("removing container %s found on disk but unknown to the event store", id);
                    runtime.remove(id);
                }
            }
        } catch (Exception e) {
            LOG.warnf("orphan scan failed: %s", e.getMessage());
        }
    }

}
