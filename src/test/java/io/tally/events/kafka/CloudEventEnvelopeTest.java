package io.tally.events.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.engine.api.EngineStopped;
import io.tally.events.EventSourcing;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CloudEventEnvelopeTest {

    @Test
    void domainEventBecomesAStructuredCloudEvent() throws Exception {
        var event = new GenericDomainEventMessage<>("Engine", "agg-1", 7, new EngineStopped("agg-1", "bye"));
        byte[] json = new CloudEventEnvelope(EventSourcing.eventMapper(), "eng-9").toJson(event, 42);
        JsonNode ce = EventSourcing.eventMapper().readTree(json);
        assertEquals("1.0", ce.get("specversion").asText());
        assertEquals(event.getIdentifier(), ce.get("id").asText());
        assertEquals("/tally/engines/eng-9", ce.get("source").asText());
        assertEquals("io.tally.engine.stopped", ce.get("type").asText());
        assertEquals("agg-1", ce.get("subject").asText());
        assertEquals("Engine", ce.get("tallyaggregatetype").asText());
        assertEquals(7, ce.get("tallysequence").asLong());
        assertEquals(42, ce.get("tallyglobalindex").asLong());
        assertEquals(1, ce.get("tallyeventversion").asInt());
        assertEquals("bye", ce.get("data").get("reason").asText());
        assertEquals(event.getTimestamp().toString(), ce.get("time").asText());
    }

    @Test
    void typeComesFromTheEventTypeAnnotation() {
        assertEquals("io.tally.engine.stopped", CloudEventEnvelope.type(EngineStopped.class));
        assertEquals("io.tally.unnamed.String", CloudEventEnvelope.type(String.class));
    }
}
