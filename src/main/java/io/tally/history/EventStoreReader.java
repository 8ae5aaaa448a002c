package io.tally.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.events.Actor;
import io.tally.events.EventSourcing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads stored events as {@link StoredEvent}s: one aggregate's events straight from
 * domain_event_entry (Axon's aggregate reads do not expose the global index), and events of Axon's
 * tracked stream. Payloads are deserialised with Axon's own serializer, so both agree.
 */
@ApplicationScoped
public class EventStoreReader {
    private static final ObjectMapper JSON = EventSourcing.eventMapper();
    private static final String COLUMNS = "SELECT event_identifier, type, aggregate_identifier, sequence_number, global_index,"
            + " time_stamp, payload_type, payload_revision, payload, meta_data FROM domain_event_entry";

    @Inject DataSource dataSource;
    @Inject EventSourcing eventSourcing;

    /** Every event of the aggregate, in order. */
    public List<StoredEvent> ofAggregate(String aggregateId) {
        return query(COLUMNS + " WHERE aggregate_identifier = ? ORDER BY sequence_number", aggregateId, Long.MAX_VALUE);
    }

    /** The aggregate's events before its event number {@code sequence}. */
    public List<StoredEvent> ofAggregateBefore(String aggregateId, long sequence) {
        return query(COLUMNS + " WHERE aggregate_identifier = ? AND sequence_number < ? ORDER BY sequence_number", aggregateId, sequence);
    }

    public boolean exists(String aggregateId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM domain_event_entry WHERE aggregate_identifier = ? LIMIT 1")) {
            st.setString(1, aggregateId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event store: " + e.getMessage(), e);
        }
    }

    /** An event of Axon's tracked stream, which knows its global index from its token. */
    public StoredEvent fromStream(EventMessage<?> message, long globalIndex) {
        DomainEventMessage<?> domain = message instanceof DomainEventMessage<?> d ? d : null;
        Object payload = message.getPayload();
        String payloadClass;
        JsonNode json;
        if (payload instanceof UnknownSerializedType unknown) {
            payloadClass = unknown.serializedType().getName();
            json = unknown.readData(JsonNode.class);
        } else {
            payloadClass = payload.getClass().getName();
            json = JSON.valueToTree(payload);
        }
        return new StoredEvent(message.getIdentifier(), domain == null ? null : domain.getType(),
                domain == null ? null : domain.getAggregateIdentifier(), domain == null ? 0 : domain.getSequenceNumber(),
                globalIndex, message.getTimestamp().truncatedTo(ChronoUnit.MILLIS), payloadClass, payload, json,
                actor(message.getMetaData()));
    }

    private List<StoredEvent> query(String sql, String aggregateId, long sequenceBound) {
        List<StoredEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, aggregateId);
            if (sequenceBound != Long.MAX_VALUE) {
                st.setLong(2, sequenceBound);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.add(row(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event store: " + e.getMessage(), e);
        }
        return events;
    }

    private StoredEvent row(ResultSet rs) throws SQLException {
        Serializer serializer = eventSourcing.configuration().eventSerializer();
        String payloadType = rs.getString("payload_type");
        byte[] payloadBytes = rs.getBytes("payload");
        Object payload = serializer.deserialize(new SimpleSerializedObject<>(payloadBytes, byte[].class, payloadType,
                rs.getString("payload_revision")));
        byte[] meta = rs.getBytes("meta_data");
        MetaData metaData = meta == null ? MetaData.emptyInstance()
                : serializer.deserialize(new SimpleSerializedObject<>(meta, byte[].class, new SimpleSerializedType(MetaData.class.getName(), null)));
        JsonNode json;
        try {
            json = JSON.readTree(payloadBytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored payload is not JSON: " + rs.getString("event_identifier"), e);
        }
        return new StoredEvent(rs.getString("event_identifier"), rs.getString("type"), rs.getString("aggregate_identifier"),
                rs.getLong("sequence_number"), rs.getLong("global_index"),
                Instant.parse(rs.getString("time_stamp")).truncatedTo(ChronoUnit.MILLIS), payloadType, payload, json,
                actor(metaData));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> actor(Map<String, ?> metaData) {
        return metaData.get(Actor.METADATA_KEY) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
