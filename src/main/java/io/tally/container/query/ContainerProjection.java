package io.tally.container.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerUnpaused;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

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
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContainerStateWatch watch;
    private final Set<String> restarting = ConcurrentHashMap.newKeySet();

    public ContainerProjection(ContainerStateWatch watch) {
        this.watch = watch;
    }

    @EventHandler
    void on(ContainerCreated e, @Timestamp Instant at) throws Exception {
        ContainerView v = new ContainerView();
        v.id = e.containerId();
        v.name = e.name();
        v.image = e.image();
        v.imageId = e.imageId();
        v.state = "created";
        v.createdAt = at;
        v.config = JSON.writeValueAsString(e.config());
        v.hostConfig = JSON.writeValueAsString(e.hostConfig());
        v.lowerDirs = JSON.writeValueAsString(e.lowerDirs());
        v.persist();
        // Flush now: a name taken meanwhile fails this command, not a later one.
        ContainerView.getEntityManager().flush();
    }

    @EventHandler
    void on(ContainerStarted e, @Timestamp Instant at) {
        view(e.containerId()).ifPresent(v -> {
            v.state = "running";
            v.startedAt = at;
            v.pid = e.pid();
            v.restartCount = e.restartCount();
            v.exitCode = 0;
            v.error = null;
            v.oomKilled = false;
        });
    }

    @EventHandler
    void on(ContainerStartFailed e) {
        view(e.containerId()).ifPresent(v -> {
            v.exitCode = e.exitCode();
            v.error = e.error();
        });
    }

    @EventHandler
    void on(ContainerDied e) {
        view(e.containerId()).ifPresent(v -> {
            v.state = "exited";
            v.finishedAt = e.exitedAt();
            v.exitCode = e.exitCode();
            v.oomKilled = e.oomKilled();
            v.pid = 0;
            v.error = e.error();
        });
        String id = e.containerId();
        int code = e.exitCode();
        afterCommit(() -> watch.exited(id, code, restarting.remove(id)));
    }

    @EventHandler
    void on(ContainerRestartScheduled e) {
        restarting.add(e.containerId());
        view(e.containerId()).ifPresent(v -> v.state = "restarting");
    }

    /** A stop while a restart is pending ends the restarting: the container is simply exited now. */
    @EventHandler
    void on(ContainerStopRequested e) {
        view(e.containerId()).filter(v -> "restarting".equals(v.state)).ifPresent(v -> {
            v.state = "exited";
            String id = v.id;
            int code = v.exitCode;
            restarting.remove(id);
            afterCommit(() -> watch.exited(id, code, false));
        });
    }

    @EventHandler
    void on(ContainerPaused e) {
        view(e.containerId()).ifPresent(v -> v.state = "paused");
    }

    @EventHandler
    void on(ContainerUnpaused e) {
        view(e.containerId()).ifPresent(v -> v.state = "running");
    }

    @EventHandler
    void on(ContainerRenamed e) {
        view(e.containerId()).ifPresent(v -> v.name = e.newName());
        ContainerView.getEntityManager().flush();
    }

    @EventHandler
    void on(ContainerRemoved e) {
        int code = view(e.containerId()).map(v -> v.exitCode).orElse(0);
        ContainerView.deleteById(e.containerId());
        String id = e.containerId();
        afterCommit(() -> watch.removed(id, code));
    }

    private static java.util.Optional<ContainerView> view(String id) {
        return ContainerView.findByIdOptional(id);
    }

    private static void afterCommit(Runnable r) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> r.run());
        } else {
            r.run();
        }
    }
}
