package io.tally.projection.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.projection.GlobalIndexes;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps container_timeline: each event that changes what `docker ps -a` would show ends the
 * container's current row and opens the next one, stamped with the event's global index and time.
 * It only appends and closes rows (history is never rewritten), and touches nothing but its tables.
 */
@ProcessingGroup(ContainerTimelineProjection.NAME)
public class ContainerTimelineProjection {
    public static final String NAME = "container-timeline";
    public static final String CONTAINER_AGGREGATE = "Container";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final TimelineRows rows;
    /** Open states by container id, only while replaying (see {@link #forReplay}); null when live. */
    private final Map<String, ContainerState> replayCache;

    public ContainerTimelineProjection(DataSource dataSource) {
        this(dataSource, null);
    }

    private ContainerTimelineProjection(DataSource dataSource, Map<String, ContainerState> replayCache) {
        this.dataSource = dataSource;
        this.rows = new TimelineRows(dataSource);
        this.replayCache = replayCache;
    }

    /**
     * An instance for one replay: it remembers the open states it wrote instead of reading them back.
     * Sound only there, where it is the sole writer of emptied tables under the projection's lock; a
     * live instance must read, since a rolled-back command would leave a remembered state wrong.
     */
    public static ContainerTimelineProjection forReplay(DataSource dataSource) {
        return new ContainerTimelineProjection(dataSource, new HashMap<>());
    }

    @EventHandler
    void on(ContainerCreated e, EventMessage<?> message) throws Exception {
        long index = index(message);
        rows.insertSpec(e.containerId(), JSON.writeValueAsString(e.config()), JSON.writeValueAsString(e.hostConfig()));
        ContainerState created = ContainerState.created(e, message.getTimestamp());
        rows.open(created, index, message.getTimestamp());
        remember(created);
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) throws Exception {
        if (!CONTAINER_AGGREGATE.equals(message.getType())) {
            return;
        }
        String id = message.getAggregateIdentifier();
        Optional<ContainerState> current = replayCache != null ? Optional.ofNullable(replayCache.get(id)) : rows.current(id);
        if (current.isEmpty()) {
            return; // removed already, or created before this projection existed and not replayed yet
        }
        Instant at = message.getTimestamp();
        ContainerState next = current.get().after(event, at);
        if (next.equals(current.get())) {
            return;
        }
        rows.move(id, next.removed() ? null : next, index(message), at);
        remember(next);
    }

    private void remember(ContainerState s) {
        if (replayCache != null) {
            if (s.removed()) {
                replayCache.remove(s.id());
            } else {
                replayCache.put(s.id(), s);
            }
        }
    }

    private long index(EventMessage<?> message) {
        return GlobalIndexes.of(message, dataSource)
                .orElseThrow(() -> new IllegalStateException("event " + message.getIdentifier() + " is not in the event store"));
    }
}
