package io.tally.container.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerUnpaused;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * How each container event changes a {@link ContainerView}. Only field assignments: the projection
 * applies them to its rows, and as-of queries apply them to detached views folded from the event
 * store, so both always agree on what a container looked like.
 */
public final class ContainerViewChanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerViewChanges() {
    }

    /** A new, not yet persisted view for a created container. */
    public static ContainerView created(ContainerCreated e, Instant at) {
        ContainerView v = new ContainerView();
        v.id = e.containerId();
        v.name = e.name();
        v.image = e.image();
        v.imageId = e.imageId();
        v.state = "created";
        v.createdAt = at;
        v.config = json(e.config());
        v.hostConfig = json(e.hostConfig());
        v.lowerDirs = json(e.lowerDirs());
        return v;
    }

    /**
     * Applies an event that changes an existing container's fields; events that change no field
     * (kills, removal, unknown types) leave it as it was.
     *
     * @return whether the view changed
     */
    public static boolean apply(ContainerView v, Object event, Instant at) {
        switch (event) {
            case ContainerStarted e -> {
                v.state = "running";
                v.startedAt = at;
                v.pid = e.pid();
                v.restartCount = e.restartCount();
                v.exitCode = 0;
                v.error = null;
                v.oomKilled = false;
            }
            case ContainerStartFailed e -> {
                v.exitCode = e.exitCode();
                v.error = e.error();
            }
            case ContainerDied e -> {
                v.state = "exited";
                v.finishedAt = e.exitedAt();
                v.exitCode = e.exitCode();
                v.oomKilled = e.oomKilled();
                v.pid = 0;
                v.error = e.error();
            }
            case ContainerRestartScheduled e -> v.state = "restarting";
            // A stop while a restart is pending ends the restarting: the container is simply exited now.
            case ContainerStopRequested e -> {
                if (!"restarting".equals(v.state)) {
                    return false;
                }
                v.state = "exited";
            }
            case ContainerPaused e -> v.state = "paused";
            case ContainerUnpaused e -> v.state = "running";
            case ContainerRenamed e -> v.name = e.newName();
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
