package io.tally.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerKilled;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerStopped;
import io.tally.container.api.ContainerUnpaused;
import io.tally.container.state.ContainerState;
import io.tally.events.EventSourcing;
import io.tally.events.kafka.CloudEventEnvelope;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Folds Tally's CloudEvents (docs/events.md) into every container's current state. It has no rules of
 * its own: each event's data is decoded into the event record tallyd stored and handed to the container
 * fold ({@link ContainerState#after}). Duplicates (same CloudEvents id, which at-least-once delivery
 * allows) are skipped, other aggregates' events and event types it does not know are ignored, a removed
 * container stays, marked {@link ContainerState#removed() removed}.
 */
public final class ContainerStateFold {
    private static final ObjectMapper JSON = EventSourcing.eventMapper();
    private static final Map<String, Class<?>> TYPES = List.of(ContainerCreated.class, ContainerStarted.class,
                    ContainerStartFailed.class, ContainerStopRequested.class, ContainerKilled.class, ContainerDied.class,
                    ContainerStopped.class, ContainerRestartScheduled.class, ContainerPaused.class, ContainerUnpaused.class,
                    ContainerRenamed.class, ContainerRemoved.class).stream()
            .collect(Collectors.toMap(CloudEventEnvelope::type, Function.identity()));

    private final Set<String> seen = new HashSet<>();
    private final Map<String, ContainerState> states = new LinkedHashMap<>();
    private long duplicates;

    /** Applies one CloudEvent (structured-mode JSON). */
    public void accept(JsonNode cloudEvent) {
        if (!seen.add(cloudEvent.path("id").asText())) {
            duplicates++;
            return;
        }
        Class<?> type = TYPES.get(cloudEvent.path("type").asText());
        if (type == null) {
            return;
        }
        Object event;
        try {
            event = JSON.treeToValue(cloudEvent.get("data"), type);
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable " + type.getSimpleName() + " in event " + cloudEvent.path("id").asText(), e);
        }
        Instant at = Instant.parse(cloudEvent.path("time").asText());
        if (event instanceof ContainerCreated created) {
            states.put(created.containerId(), ContainerState.created(created, at));
        } else {
            states.computeIfPresent(cloudEvent.path("subject").asText(), (id, s) -> s.after(event, at));
        }
    }

    public Map<String, ContainerState> states() {
        return states;
    }

    public long duplicates() {
        return duplicates;
    }
}
