package io.tally.history.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ExecConfig;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecDied;
import io.tally.container.api.ExecStartFailed;
import io.tally.container.api.ExecStarted;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerFilesExtracted;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.history.StoredEvent;
import io.tally.image.api.ImageTagged;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerEventMapperTest {
    private static final ObjectMapper JSON = io.tally.events.EventSourcing.eventMapper();
    private static final String ID = "a".repeat(64);
    private final AggregateFacts facts = new AggregateFacts();
    private long sequence;

    private List<DockerEvent> feed(Object payload) {
        return feed(payload, payload.getClass().getName());
    }

    private List<DockerEvent> feed(Object payload, String className) {
        StoredEvent e = new StoredEvent("e" + sequence, "Container", ID, sequence, 100 + sequence, Instant.ofEpochSecond(1_700_000_000L, 5_000_000),
                className, payload, JSON.valueToTree(payload), Map.of());
        sequence++;
        facts.observe(e);
        return DockerEventMapper.map(e, facts);
    }

    private static List<String> actions(List<DockerEvent> events) {
        return events.stream().map(DockerEvent::action).toList();
    }

    @Test
    void filesExtractedIntoAContainerAreDockersExtractToDir() {
        feed(new ContainerCreated(ID, "web", "bb", "sha256:x", Map.of(), Map.of(), List.of()));
        DockerEvent extract = feed(new ContainerFilesExtracted(ID, "/tmp")).get(0);
        assertEquals("extract-to-dir", extract.action());
        assertEquals("web", extract.attributes().get("name"));
    }

    @Test
    void containerEventsCarryNameAsAtThatMomentImageAndLabels() {
        DockerEvent create = feed(new ContainerCreated(ID, "web", "bb", "sha256:x", Map.of("Labels", Map.of("team", "blue")), Map.of(), List.of())).get(0);
        assertEquals(Map.of("name", "web", "image", "bb", "team", "blue"), create.attributes());
        DockerEvent rename = feed(new ContainerRenamed(ID, "web", "api")).get(0);
        assertEquals("api", rename.attributes().get("name"));
        assertEquals("/web", rename.attributes().get("oldName"));
        Map<String, Object> json = create.toJson();
        assertEquals("create", json.get("status"));
        assertEquals(ID, json.get("id"));
        assertEquals("bb", json.get("from"));
        assertEquals(1_700_000_000L, json.get("time"));
        assertEquals(1_700_000_000_005_000_000L, json.get("timeNano"));
    }

    @Test
    void dockerRestartIsStartThenRestartAndAStopIsAKillOnlyWhileRunning() {
        feed(new ContainerCreated(ID, "web", "bb", "sha256:x", Map.of(), Map.of(), List.of()));
        assertEquals(List.of("start"), actions(feed(new ContainerStarted(ID, 10, "start", 0))));
        List<DockerEvent> kill = feed(new ContainerStopRequested(ID, 15, 10));
        assertEquals(List.of("kill"), actions(kill));
        assertEquals("15", kill.get(0).attributes().get("signal"));
        DockerEvent die = feed(new ContainerDied(ID, 10, 143, 15, false, Instant.now(), null)).get(0);
        assertEquals("143", die.attributes().get("exitCode"));
        assertEquals("15", die.attributes().get("signal"));
        assertEquals(List.of("start", "restart"), actions(feed(new ContainerStarted(ID, 11, "restart", 0))));
        assertEquals(List.of("start"), actions(feed(new ContainerStarted(ID, 12, "policy", 1))));
        feed(new ContainerDied(ID, 12, 1, 0, false, Instant.now(), null));
        assertTrue(feed(new ContainerStopRequested(ID, 15, 10)).isEmpty(), "nothing runs to signal during a pending restart");
    }

    @Test
    void execEventsCarryTheCommandInTheActionAndAFailedStartIsADeath() {
        feed(new ContainerCreated(ID, "web", "bb", "sha256:x", Map.of(), Map.of(), List.of()));
        ExecConfig ls = new ExecConfig(List.of("ls", "-l"), List.of(), "", "", false, false, true, true, false, "");
        DockerEvent created = feed(new ExecCreated(ID, "x1", ls)).get(0);
        assertEquals("exec_create: ls -l", created.action());
        assertEquals("x1", created.attributes().get("execID"));
        assertEquals("exec_start: ls -l", feed(new ExecStarted(ID, "x1", 77, false)).get(0).action());
        DockerEvent died = feed(new ExecDied(ID, "x1", 77, 2, 0, Instant.now())).get(0);
        assertEquals("exec_die", died.action());
        assertEquals("2", died.attributes().get("exitCode"));
        feed(new ExecCreated(ID, "x2", ls));
        DockerEvent failed = feed(new ExecStartFailed(ID, "x2", "exec: \"ls\": executable file not found in $PATH", 127)).get(0);
        assertEquals("exec_die", failed.action());
        assertEquals("127", failed.attributes().get("exitCode"));

        EventFilter execs = new EventFilter(Map.of("event", Set.of("exec_create")));
        assertTrue(execs.test(created));
        assertFalse(execs.test(died));
    }

    @Test
    void filtersMatchLikeDockers() {
        DockerEvent create = feed(new ContainerCreated(ID, "web", "bb", "sha256:x", Map.of("Labels", Map.of("team", "blue")), Map.of(), List.of())).get(0);
        assertTrue(new EventFilter(Map.of("container", Set.of("aaaa"))).test(create));
        assertTrue(new EventFilter(Map.of("container", Set.of("web"))).test(create));
        assertFalse(new EventFilter(Map.of("container", Set.of("db"))).test(create));
        assertFalse(new EventFilter(Map.of("image", Set.of("bb:latest", "other"))).test(create), "the image as named, with or without its tag");
        assertTrue(new EventFilter(Map.of("image", Set.of("bb"))).test(create));
        assertTrue(new EventFilter(Map.of("label", Set.of("team=blue"), "type", Set.of("container"))).test(create));
        assertFalse(new EventFilter(Map.of("label", Set.of("team=red"))).test(create));
        assertFalse(new EventFilter(Map.of("type", Set.of("image"))).test(create));

        List<DockerEvent> tag = new ArrayList<>(DockerEventMapper.map(new StoredEvent("t", "Image", "sha256:abc", 1, 1, Instant.now(),
                ImageTagged.class.getName(), new ImageTagged("sha256:abc", "docker.io/library/bb:v1"), null, Map.of()), new AggregateFacts()));
        assertEquals("bb:v1", tag.get(0).attributes().get("name"));
        assertTrue(new EventFilter(Map.of("image", Set.of("bb"))).test(tag.get(0)));
        assertTrue(new EventFilter(Map.of("image", Set.of("bb:v1"))).test(tag.get(0)));
        assertFalse(new EventFilter(Map.of("container", Set.of("sha"))).test(tag.get(0)));
    }
}
