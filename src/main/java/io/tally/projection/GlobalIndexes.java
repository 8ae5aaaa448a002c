package io.tally.projection;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The global index (domain_event_entry.global_index) of an event. A replayed event carries it in its
 * tracking token; a live event reaches the subscribing projections right after the event store
 * inserted it in the same transaction, so it is looked up by event id (once per unit of work).
 */
public final class GlobalIndexes {
    private static final String MEMO = GlobalIndexes.class.getName();

    private GlobalIndexes() {
    }

    public static OptionalLong of(EventMessage<?> event, DataSource dataSource) {
        if (event instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            return tracked.trackingToken().position();
        }
        Map<String, Long> memo = CurrentUnitOfWork.isStarted()
                ? CurrentUnitOfWork.get().root().getOrComputeResource(MEMO, k -> new HashMap<>())
                : new HashMap<>();
        Long known = memo.get(event.getIdentifier());
        if (known != null) {
            return OptionalLong.of(known);
        }
        OptionalLong found = lookUp(event.getIdentifier(), dataSource);
        found.ifPresent(i -> memo.put(event.getIdentifier(), i));
        return found;
    }

    private static OptionalLong lookUp(String eventId, DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT global_index FROM domain_event_entry WHERE event_identifier = ?")) {
            s.setString(1, eventId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot find the global index of event " + eventId + ": " + e.getMessage(), e);
        }
    }
}
