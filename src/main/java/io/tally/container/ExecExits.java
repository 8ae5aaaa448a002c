package io.tally.container;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tally.container.api.RecordExecExit;
import io.tally.container.query.ExecView;
import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.runtime.ContainerRuntime.ExitStatus;
import io.tally.runtime.ContainerRuntime.ProcessState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Records the ends of exec sessions: as their shims report them, and at start for sessions that
 * ended while tallyd was down (their shims left exit.json) or vanished without a trace.
 */
@ApplicationScoped
public class ExecExits {
    private static final Logger LOG = Logger.getLogger(ExecExits.class);

    @Inject ExecRuntime runtime;
    @Inject Commands commands;

    public void reconcileAtStart() {
        runtime.onExecExit((containerId, execId, status) ->
                record(containerId, execId, status, Actor.internal("tally-shim exit notice")));
        List<ExecView> believedRunning = QuarkusTransaction.requiringNew().call(ExecView::allRunning);
        Actor actor = Actor.internal("live restore");
        for (ExecView e : believedRunning) {
            switch (runtime.execState(e.containerId, e.id)) {
                case ProcessState.Running r -> LOG.debugf("exec %s still runs (pid %d)", e.id, r.pid());
                case ProcessState.Exited x -> record(e.containerId, e.id, x.status(), actor);
                case ProcessState.Gone g -> record(e.containerId, e.id, new ExitStatus(255, 0, false, Instant.now(), g.reason()), actor);
                case ProcessState.NotCreated n -> record(e.containerId, e.id,
                        new ExitStatus(255, 0, false, Instant.now(), "the exec session's files are gone"), actor);
            }
        }
    }

    private void record(String containerId, String execId, ExitStatus s, Actor actor) {
        try {
            commands.send(new RecordExecExit(containerId, execId, s.exitCode(), s.signal(),
                    s.exitedAt() == null ? Instant.now() : s.exitedAt()), actor);
        } catch (RuntimeException e) {
            LOG.warnf("could not record the end of exec %s in container %s: %s", execId, containerId, e.getMessage());
        }
    }
}
