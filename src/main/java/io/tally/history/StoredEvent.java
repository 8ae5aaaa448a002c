package io.tally.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

/**
 * One event as the event store holds it, in the terms history cares about. {@code payload} is the
 * event record, or Axon's {@code UnknownSerializedType} when this build does not know the class
 * (events written by a newer tallyd); {@code payloadJson} is always there.
 *
 * @param time         when it was stored, at the store's millisecond precision (the same for the
 *                     live stream and for later reads, so an event always has one time)
 * @param payloadClass the stored class name, e.g. {@code io.tally.container.api.ContainerStarted}
 * @param actor        the {@code actor} metadata of the command that caused it (empty for old events)
 */
public record StoredEvent(String eventId, String aggregateType, String aggregateId, long sequence, long globalIndex,
                          Instant time, String payloadClass, Object payload, JsonNode payloadJson,
                          Map<String, Object> actor) {

    /** The public event name, e.g. {@code container.started} (see docs/events.md). */
    public String type() {
        return EventTypeNames.of(payloadClass);
    }

    /** The payload's simple class name, e.g. {@code ExecCreated}: matches events whose class this build lacks. */
    public String payloadName() {
        return payloadClass.substring(payloadClass.lastIndexOf('.') + 1);
    }
}
