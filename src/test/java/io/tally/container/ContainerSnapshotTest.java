package io.tally.container;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ExecConfig;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecStarted;
import io.tally.container.api.StartContainer;
import io.tally.events.EventSourcing;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Container survives the snapshot serializer's round trip with every field (the IT shows it loads from one). */
class ContainerSnapshotTest {
    private static final String ID = "d".repeat(64);
    private static final Instant T = Instant.parse("2026-01-01T00:00:00.123Z");
    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(EventSourcing.snapshotMapper()).build();

    @Test
    void everyFieldSurvivesTheRoundTrip() {
        Container c = new Container();
        c.on(new ContainerCreated(ID, "web", "bb", "sha256:" + "a".repeat(64), Map.of("Cmd", List.of("sh", "-c", "exit 1")),
                Map.of("RestartPolicy", Map.of("Name", "always")), List.of("/layers/x")));
        c.on(new ContainerStarted(ID, 42, StartContainer.USER, 0), T);
        c.on(new ContainerDied(ID, 42, 1, 0, false, T.plusSeconds(1), null));
        c.on(new ContainerRestartScheduled(ID, 1, 200));
        c.on(new ContainerStarted(ID, 43, StartContainer.POLICY, 1), T.plusSeconds(2));
        c.on(new ContainerPaused(ID));
        c.on(new ContainerRenamed(ID, "web", "web2"));
        c.on(new ExecCreated(ID, "e".repeat(64), new ExecConfig(List.of("top"), List.of("A=1"), "", "/", true, true, true, false, false, "")));
        c.on(new ExecStarted(ID, "e".repeat(64), 77, false));

        SerializedObject<byte[]> first = serializer.serialize(c, byte[].class);
        Container copy = serializer.deserialize(first);
        SerializedObject<byte[]> second = serializer.serialize(copy, byte[].class);

        String json = new String(first.getData(), StandardCharsets.UTF_8);
        assertEquals(json, new String(second.getData(), StandardCharsets.UTF_8));
        for (String field : List.of("\"containerId\":\"" + ID + "\"", "\"name\":\"web2\"", "\"status\":\"PAUSED\"", "\"pid\":43",
                "\"restartCount\":1", "\"lastBackoffMillis\":200", "\"startedAt\":\"2026-01-01T00:00:02.123Z\"", "\"RestartPolicy\"",
                "\"execs\":{\"" + "e".repeat(64) + "\":{\"config\":{\"cmd\":[\"top\"]", "\"pid\":77")) {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }
}
