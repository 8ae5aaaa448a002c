package io.tally.container.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.ContainerJson;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerUpdated;
import io.tally.container.state.ContainerState;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * How each container event changes a {@link ContainerView}: the container fold ({@link ContainerState})
 * applied to the view's fields. The projection applies it to its rows, and as-of queries to detached
 * views folded from the event store, so both agree with each other and with the timeline.
 */
public final class ContainerViewChanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ContainerViewChanges() {
    }

    /** A new, not yet persisted view for a created container. */
    public static ContainerView created(ContainerCreated e, Instant at) {
        ContainerView v = new ContainerView();
        v.config = json(e.config());
        v.hostConfig = json(e.hostConfig());
        v.lowerDirs = json(e.lowerDirs());
        show(ContainerState.created(e, at), v);
        return v;
    }

    /**
     * Applies an event that changes an existing container's fields; events that change no field
     * (kills, unknown types) leave it as it was. Removal is not a change of fields: the projection
     * deletes the row, and as-of inspect answers that the container is gone.
     *
     * @return whether the view changed
     */
    public static boolean apply(ContainerView v, Object event, Instant at) {
        ContainerState before = stateOf(v);
        ContainerState after = before.after(event, at);
        if (after.equals(before) || after.removed()) {
            return false;
        }
        show(after, v);
        return true;
    }

    /** {@code docker update}: the HostConfig column gets the new fields, so inspect shows them and the next start applies them. */
    public static void updated(ContainerView v, ContainerUpdated e) {
        v.hostConfig = json(e.appliedTo(ContainerJson.map(v.hostConfig)));
    }

    /** The fold's view of a row (a row exists only while its container does). */
    public static ContainerState stateOf(ContainerView v) {
        return new ContainerState(v.id, v.name, v.image, v.imageId, v.state, v.createdAt, v.startedAt, v.finishedAt, v.pid,
                v.exitCode, v.oomKilled, v.error, v.restartCount, false);
    }

    /** Sets the view's fields to {@code s}; the spec columns (config, host config, lower dirs) are the caller's. */
    public static void show(ContainerState s, ContainerView v) {
        v.id = s.id();
        v.name = s.name();
        v.image = s.image();
        v.imageId = s.imageId();
        v.state = s.status();
        v.createdAt = s.createdAt();
        v.startedAt = s.startedAt();
        v.finishedAt = s.finishedAt();
        v.pid = s.pid();
        v.exitCode = s.exitCode();
        v.oomKilled = s.oomKilled();
        v.error = s.error();
        v.restartCount = s.restartCount();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
