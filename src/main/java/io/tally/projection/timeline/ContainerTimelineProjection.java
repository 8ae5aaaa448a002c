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

    public ContainerTimelineProjection(DataSource dataSource) {
        this.dataSource = dataSource;
        this.rows = new TimelineRows(dataSource);
    }

    @EventHandler
    void on(ContainerCreated e, EventMessage<?> message) throws Exception {
        long index = index(message);
        rows.insertSpec(e.containerId(), JSON.writeValueAsString(e.config()), JSON.writeValueAsString(e.hostConfig()));
        rows.open(ContainerState.created(e, message.getTimestamp()), index, message.getTimestamp());
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) throws Exception {
        if (!CONTAINER_AGGREGATE.equals(message.getType())) {
            return;
        }
        String id = message.getAggregateIdentifier();
        Optional<ContainerState> current = rows.current(id);
        if (current.isEmpty()) {
            return; // removed already, or created before this projection existed and not replayed yet
        }
        Instant at = message.getTimestamp();
        ContainerState next = current.get().after(event, at);
        if (next.equals(current.get())) {
            return;
        }
        long index = index(message);
        rows.close(id, index, at);
        if (!next.removed()) {
            rows.open(next, index, at);
        }
    }

    private long index(EventMessage<?> message) {
        return GlobalIndexes.of(message, dataSource)
                .orElseThrow(() -> new IllegalStateException("event " + message.getIdentifier() + " is not in the event store"));
    }
}
