package io.tally.container.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
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
 * container event changes it: the one set of rules behind container_view, container_timeline,
 * as-of inspect and the Kafka consumer. A pure fold (no I/O). A removed container keeps its last
 * state with {@code removed} set, so a reader can still tell how it ended.
 *
 * <p>As JSON (the consumer's output line, docs/events.md) the status and the removal are one field,
 * {@code state}: Docker's word, or {@code removed}.
 */
@JsonPropertyOrder({"id", "name", "image", "imageId", "state", "createdAt", "startedAt", "finishedAt", "pid", "exitCode",
        "oomKilled", "error", "restartCount"})
public record ContainerState(String id, String name, String image, String imageId, @JsonIgnore ContainerStatus status,
                             Instant createdAt, Instant startedAt, Instant finishedAt, long pid, int exitCode,
                             boolean oomKilled, String error, int restartCount, @JsonIgnore boolean removed) {
    /** Not a Docker status: the consumer's word for a container that no longer exists. */
    public static final String REMOVED = "removed";

    public static ContainerState created(ContainerCreated e, Instant at) {
        return new ContainerState(e.containerId(), e.name(), e.image(), e.imageId(), ContainerStatus.CREATED, at,
                null, null, 0, 0, false, null, 0, false);
    }

    /** Docker's word for the status, or {@value #REMOVED} once the container is gone. */
    @JsonProperty("state")
    public String state() {
        return removed ? REMOVED : status.word();
    }

    /** The state after {@code event} (stored at {@code at}); this very state when the event changes nothing shown. */
    public ContainerState after(Object event, Instant at) {
        return switch (event) {
            case ContainerStarted e -> new ContainerState(id, name, image, imageId, ContainerStatus.RUNNING, createdAt, at,
                    finishedAt, e.pid(), 0, false, null, e.restartCount(), removed);
            case ContainerStartFailed e -> new ContainerState(id, name, image, imageId, status, createdAt, startedAt,
                    finishedAt, pid, e.exitCode(), oomKilled, e.error(), restartCount, removed);
            case ContainerDied e -> new ContainerState(id, name, image, imageId, ContainerStatus.EXITED, createdAt, startedAt,
                    e.exitedAt(), 0, e.exitCode(), e.oomKilled(), e.error(), restartCount, removed);
            case ContainerRestartScheduled e -> withStatus(ContainerStatus.RESTARTING);
            // A stop while a restart is pending ends the restarting: the container is simply exited.
            case ContainerStopRequested e -> status == ContainerStatus.RESTARTING ? withStatus(ContainerStatus.EXITED) : this;
            case ContainerPaused e -> withStatus(ContainerStatus.PAUSED);
            case ContainerUnpaused e -> withStatus(ContainerStatus.RUNNING);
            case ContainerRenamed e -> new ContainerState(id, e.newName(), image, imageId, status, createdAt, startedAt,
                    finishedAt, pid, exitCode, oomKilled, error, restartCount, removed);
            case ContainerRemoved e -> new ContainerState(id, name, image, imageId, status, createdAt, startedAt,
                    finishedAt, pid, exitCode, oomKilled, error, restartCount, true);
            default -> this; // killed, stopped, exec events, and events this fold does not know yet: nothing shown changes
        };
    }

    private ContainerState withStatus(ContainerStatus s) {
        return new ContainerState(id, name, image, imageId, s, createdAt, startedAt, finishedAt, pid, exitCode, oomKilled,
                error, restartCount, removed);
    }
}
