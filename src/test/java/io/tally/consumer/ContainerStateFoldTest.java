package io.tally.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.StartContainer;
import io.tally.container.state.ContainerState;
import io.tally.engine.api.EngineStopped;
import io.tally.events.EventSourcing;
import io.tally.events.kafka.CloudEventEnvelope;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer's fold over envelopes made by the publisher's own code, duplicates and foreign events included. */
class ContainerStateFoldTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final ObjectMapper JSON = EventSourcing.eventMapper();
    private final CloudEventEnvelope envelope = new CloudEventEnvelope(JSON, "engine-1");
    private long index;

    private JsonNode ce(String aggregateType, String id, long seq, Object payload) throws Exception {
        var m = new GenericDomainEventMessage<>(aggregateType, id, seq, payload);
        return JSON.readTree(envelope.toJson(m, ++index));
    }

    @Test
    void foldsDedupesAndSkipsWhatItDoesNotKnow() throws Exception {
        ContainerStateFold fold = new ContainerStateFold();
        JsonNode started = ce("Container", A, 1, new ContainerStarted(A, 10, StartContainer.USER, 0));
        List<JsonNode> stream = List.of(
                ce("Engine", "engine-1", 0, new EngineStopped("engine-1", "test")),
                ce("Container", A, 0, new ContainerCreated(A, "web", "bb", "sha256:x", Map.of(), Map.of(), List.of())),
                started,
                started, // delivered twice (at least once)
                ce("Container", A, 2, new ContainerDied(A, 10, 1, 0, false, Instant.parse("2026-01-01T00:00:00Z"), null)),
                ce("Container", A, 3, new ContainerRestartScheduled(A, 1, 100)),
                ce("Container", A, 4, new ContainerStarted(A, 11, StartContainer.POLICY, 1)),
                ce("Container", A, 5, new ContainerRenamed(A, "web", "front")),
                ce("Container", B, 0, new ContainerCreated(B, "tmp", "bb", "sha256:x", Map.of(), Map.of(), List.of())),
                ce("Container", B, 1, new ContainerStopRequested(B, 15, 10)),
                ce("Container", B, 2, new ContainerRemoved(B)));
        stream.forEach(fold::accept);

        assertEquals(1, fold.duplicates());
        ContainerState a = fold.states().get(A);
        assertEquals("front", a.name());
        assertEquals("running", a.state());
        assertEquals(1, a.restartCount());
        assertEquals(11, a.pid());
        assertEquals(0, a.exitCode(), "a start clears the previous exit code, as docker inspect shows");
        assertTrue(fold.states().get(B).removed());
        assertEquals(2, fold.states().size());
    }
}
