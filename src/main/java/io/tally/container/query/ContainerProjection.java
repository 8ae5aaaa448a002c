package io.tally.container.query;

import io.tally.events.AfterCommit;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerUpdated;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerUnpaused;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps container_view in step with the container events, in the command's transaction (so name
 * uniqueness holds and `docker ps` right after `docker run -d` sees the container), and wakes
 * waiters once the transaction has committed.
 */
@ProcessingGroup(ContainerProjection.NAME)
public class ContainerProjection {
    public static final String NAME = "container-projection";

    private final ContainerStateWatch watch;
    private final Set<String> restarting = ConcurrentHashMap.newKeySet();

    public ContainerProjection(ContainerStateWatch watch) {
        this.watch = watch;
    }

    @EventHandler
    void on(ContainerCreated e, @Timestamp Instant at) {
        ContainerViewChanges.created(e, at).persist();
        // Flush now: a name taken meanwhile fails this command, not a later one.
        ContainerView.getEntityManager().flush();
    }

    @EventHandler
    void on(ContainerStarted e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
    }

    @EventHandler
    void on(ContainerStartFailed e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
    }

    @EventHandler
    void on(ContainerDied e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
        String id = e.containerId();
        int code = e.exitCode();
        AfterCommit.run(() -> watch.exited(id, code, restarting.remove(id)));
    }

    @EventHandler
    void on(ContainerRestartScheduled e, @Timestamp Instant at) {
        restarting.add(e.containerId());
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
    }

    /** A stop while a restart is pending ends the restarting: the container is simply exited now. */
    @EventHandler
    void on(ContainerStopRequested e, @Timestamp Instant at) {
        view(e.containerId()).filter(v -> ContainerViewChanges.apply(v, e, at)).ifPresent(v -> {
            String id = v.id;
            int code = v.exitCode;
            restarting.remove(id);
            AfterCommit.run(() -> watch.exited(id, code, false));
        });
    }

    @EventHandler
    void on(ContainerPaused e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
    }

    @EventHandler
    void on(ContainerUnpaused e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
    }

    @EventHandler
    void on(ContainerUpdated e) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.updated(v, e));
    }

    @EventHandler
    void on(ContainerRenamed e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> ContainerViewChanges.apply(v, e, at));
        ContainerView.getEntityManager().flush();
    }

    @EventHandler
    void on(ContainerRemoved e) {
        int code = view(e.containerId()).map(v -> v.exitCode).orElse(0);
        ContainerView.deleteById(e.containerId());
        String id = e.containerId();
        AfterCommit.run(() -> watch.removed(id, code));
    }

    private static java.util.Optional<ContainerView> view(String id) {
        return ContainerView.findByIdOptional(id);
    }
}
