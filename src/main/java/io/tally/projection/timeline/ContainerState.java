package io.tally.projection.timeline;

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

import java.time.Instant;

/**
 * What `docker ps -a` and `docker inspect` know about a container at one moment, and how each
 * container event changes it. A pure fold (no I/O), shared by the temporal projection and the Kafka
 * consumer, with the same rules as container_view's projection. {@code state} is Docker's word
 * (created, running, paused, restarting, exited) or {@code removed} once the container is gone.
 */
public record ContainerState(String id, String name, String image, String imageId, String state,
                             Instant createdAt, Instant startedAt, Instant finishedAt, long pid, int exitCode,
                             boolean oomKilled, String error, int restartCount) {
    public static final String REMOVED = "removed";

    public static ContainerState created(ContainerCreated e, Instant at) {
        return new ContainerState(e.containerId(), e.name(), e.image(), e.imageId(), "created", at, null, null, 0, 0, false, null, 0);
    }

    public boolean removed() {
        return REMOVED.equals(state);
    }

    /** The state after {@code event} (stored at {@code at}); this very state when the event changes nothing shown. */
    public ContainerState after(Object event, Instant at) {
        return switch (event) {
            case ContainerStarted e -> new ContainerState(id, name, image, imageId, "running", createdAt, at, finishedAt,
                    e.pid(), 0, false, null, e.restartCount());
            case ContainerStartFailed e -> new ContainerState(id, name, image, imageId, state, createdAt, startedAt, finishedAt,
                    pid, e.exitCode(), oomKilled, e.error(), restartCount);
            case ContainerDied e -> new ContainerState(id, name, image, imageId, "exited", createdAt, startedAt, e.exitedAt(),
                    0, e.exitCode(), e.oomKilled(), e.error(), restartCount);
            case ContainerRestartScheduled e -> withState("restarting");
            // A stop while a restart is pending ends the restarting: the container is simply exited.
            case ContainerStopRequested e -> "restarting".equals(state) ? withState("exited") : this;
            case ContainerPaused e -> withState("paused");
            case ContainerUnpaused e -> withState("running");
            case ContainerRenamed e -> new ContainerState(id, e.newName(), image, imageId, state, createdAt, startedAt, finishedAt,
                    pid, exitCode, oomKilled, error, restartCount);
            case ContainerRemoved e -> withState(REMOVED);
            default -> this; // killed, stopped, and events this fold does not know yet: nothing shown changes
        };
    }

    private ContainerState withState(String s) {
        return new ContainerState(id, name, image, imageId, s, createdAt, startedAt, finishedAt, pid, exitCode, oomKilled, error, restartCount);
    }
}
