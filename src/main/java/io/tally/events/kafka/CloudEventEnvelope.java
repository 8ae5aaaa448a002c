package io.tally.events.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.events.EventType;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;

import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;

/**
 * Turns a stored event into a CloudEvents 1.0 structured-mode JSON message. This shape is a public
 * contract (docs/events.md): add attributes, never change the meaning of existing ones.
 */
public final class CloudEventEnvelope {
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_INSTANT;

    private final ObjectMapper mapper;
    private final String source;

    public CloudEventEnvelope(ObjectMapper mapper, String engineId) {
        this.mapper = mapper;
        this.source = "/tally/engines/" + engineId;
    }

    public byte[] toJson(EventMessage<?> event, long globalIndex) {
        ObjectNode ce = mapper.createObjectNode();
        ce.put("specversion", "1.0");
        ce.put("id", event.getIdentifier());
        ce.put("source", source);
        ce.put("type", type(event.getPayloadType()));
        if (event instanceof DomainEventMessage<?> domain) {
            ce.put("subject", domain.getAggregateIdentifier());
            ce.put("tallyaggregatetype", domain.getType());
            ce.put("tallysequence", domain.getSequenceNumber());
        }
        ce.put("time", RFC3339.format(event.getTimestamp().atOffset(ZoneOffset.UTC)));
        ce.put("datacontenttype", "application/json");
        ce.put("tallyglobalindex", globalIndex);
        ce.put("tallyeventversion", version(event.getPayloadType()));
        ce.set("data", mapper.valueToTree(event.getPayload()));
        try {
            return mapper.writeValueAsBytes(ce);
        } catch (Exception e) {
            throw new IllegalStateException("cannot serialise event " + event.getIdentifier(), e);
        }
    }

    /** {@code io.tally.engine.started} for a payload annotated {@code @EventType("engine.started")}. */
    public static String type(Class<?> payloadType) {
        EventType t = payloadType.getAnnotation(EventType.class);
        return "io.tally." + (t != null ? t.value() : "unnamed." + payloadType.getSimpleName());
    }

    static int version(Class<?> payloadType) {
        EventType t = payloadType.getAnnotation(EventType.class);
        return t != null ? t.version() : 1;
    }
}
