package io.tally.container.timeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.state.ContainerState;
import io.tally.projection.GlobalIndexes;
import io.tally.projection.ReplayBatching;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps container_timeline: each event that changes what `docker ps -a` would show ends the
 * container's current row and opens the next one, stamped with the event's global index and time.
 * It only appends and closes rows (history is never rewritten), and touches nothing but its tables.
 */
@ProcessingGroup(ContainerTimelineProjection.NAME)
public class ContainerTimelineProjection implements ReplayBatching {
    public static final String NAME = "container-timeline";
    public static final String CONTAINER_AGGREGATE = "Container";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final TimelineRows rows;
    /** Replay only (see {@link #forReplay}): the current period of each container, and rows not written yet. */
    private final Map<String, TimelineRows.Period> open;
    private final List<TimelineRows.Period> closed = new ArrayList<>();
    private final List<String[]> specs = new ArrayList<>();

    public ContainerTimelineProjection(DataSource dataSource) {
        this(dataSource, null);
    }

    private ContainerTimelineProjection(DataSource dataSource, Map<String, TimelineRows.Period> open) {
        this.dataSource = dataSource;
        this.rows = new TimelineRows(dataSource);
        this.open = open;
    }

    /**
     * An instance for one replay: it keeps each container's current period in memory and writes
     * every period once, complete, in batches. Sound only there, where it is the sole writer of
     * emptied tables under the projection's lock; a live instance reads and writes each event's rows
     * in its command's transaction, which may roll back.
     */
    public static ContainerTimelineProjection forReplay(DataSource dataSource) {
        return new ContainerTimelineProjection(dataSource, new LinkedHashMap<>());
    }

    private boolean replaying() {
        return open != null;
    }

    @EventHandler
    void on(ContainerCreated e, EventMessage<?> message) throws Exception {
        long index = index(message);
        Instant at = message.getTimestamp();
        String config = JSON.writeValueAsString(e.config());
        String hostConfig = JSON.writeValueAsString(e.hostConfig());
        ContainerState created = ContainerState.created(e, at);
        if (replaying()) {
            specs.add(new String[] {e.containerId(), config, hostConfig});
            open.put(e.containerId(), new TimelineRows.Period(created, index, at, null, null));
            return;
        }
        rows.insertSpec(e.containerId(), config, hostConfig);
        rows.open(created, index, at);
    }

    @EventHandler
    void on(Object event, DomainEventMessage<?> message) throws Exception {
        if (!CONTAINER_AGGREGATE.equals(message.getType())) {
            return;
        }
        String id = message.getAggregateIdentifier();
        Optional<ContainerState> current = replaying()
                ? Optional.ofNullable(open.get(id)).map(TimelineRows.Period::state)
                : rows.current(id);
        if (current.isEmpty()) {
            return; // removed already, or created before this projection existed and not replayed yet
        }
        Instant at = message.getTimestamp();
        ContainerState next = current.get().after(event, at);
        if (next.equals(current.get())) {
            return;
        }
        long index = index(message);
        if (replaying()) {
            TimelineRows.Period p = open.remove(id);
            closed.add(new TimelineRows.Period(p.state(), p.fromIndex(), p.from(), index, at.isBefore(p.from()) ? p.from() : at));
            if (!next.removed()) {
                open.put(id, new TimelineRows.Period(next, index, at, null, null));
            }
            return;
        }
        rows.move(id, next.removed() ? null : next, index, at);
    }

    @Override
    public void flushBatch(boolean endOfStream) throws SQLException {
        if (!replaying()) {
            return;
        }
        if (endOfStream) {
            closed.addAll(open.values());
            open.clear();
        }
        rows.insertAll(closed, specs);
        closed.clear();
        specs.clear();
    }

    private long index(EventMessage<?> message) {
        return GlobalIndexes.of(message, dataSource)
                .orElseThrow(() -> new IllegalStateException("event " + message.getIdentifier() + " is not in the event store"));
    }
}
