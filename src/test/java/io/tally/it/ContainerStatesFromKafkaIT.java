package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.consumer.ContainerStateConsumer;
import io.tally.container.state.ContainerState;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A consumer that knows only the Kafka topic rebuilds the containers tallyd shows. */
class ContainerStatesFromKafkaIT extends AgainstExternalTally {
    static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";

    @Test
    void theTopicAloneRebuildsEveryContainersState() throws Exception {
        String gone = out("create", "--name", "gone", "bb", "true");
        out("rm", "gone");
        out("run", "-d", "--name", "web", "bb", "sh", "-c", LOOP);
        out("create", "--name", "fresh", "bb", "true");
        out("run", "-d", "--name", "old", "bb", "sh", "-c", LOOP);
        out("rename", "old", "renamed");
        out("stop", "renamed");
        assertEquals(3, docker.run("run", "--name", "failed", "bb", "sh", "-c", "exit 3").exitCode());
        out("run", "-d", "--name", "paused", "bb", "sh", "-c", LOOP);
        out("pause", "paused");
        out("run", "-d", "--name", "retry", "--restart", "on-failure:2", "bb", "sh", "-c", "exit 4");
        awaitRestarts("retry", 2);
        String removedRunning = out("run", "-d", "--name", "killed", "bb", "sh", "-c", LOOP);
        out("rm", "-f", "killed");

        long head = head();
        // Publication runs behind the store: wait until the newest stored event is on the topic.
        TopicReader.readUntil(env.kafkaBootstrap, env.eventsTopic(), Duration.ofSeconds(120),
                seen -> seen.stream().anyMatch(m -> m.value().path("tallyglobalindex").asLong() >= head));

        Map<String, ContainerState> states = ContainerStateConsumer.readAll(env.kafkaBootstrap, env.eventsTopic());

        JsonNode ps = new TallyApi(env.tally.socket()).get("/containers/json?all=1").assertStatus(200).json();
        Set<String> shown = new TreeSet<>();
        for (JsonNode c : ps) {
            String id = c.path("Id").asText();
            shown.add(id);
            ContainerState s = states.get(id);
            assertTrue(s != null, "the consumer knows " + c);
            assertEquals(c.path("Names").get(0).asText(), "/" + s.name());
            assertEquals(c.path("Image").asText(), s.image());
            assertEquals(c.path("ImageID").asText(), s.imageId());
            assertEquals(c.path("State").asText(), s.state(), s.name());
            assertEquals(out("inspect", "-f", "{{.State.ExitCode}}", id), String.valueOf(s.exitCode()), s.name());
            assertEquals(out("inspect", "-f", "{{.RestartCount}}", id), String.valueOf(s.restartCount()), s.name());
            assertEquals(out("inspect", "-f", "{{.State.Pid}}", id), String.valueOf(s.pid()), s.name());
        }
        Set<String> notRemoved = states.values().stream().filter(s -> !s.removed()).map(ContainerState::id)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(shown, notRemoved, "the same containers exist");
        assertTrue(states.get(gone).removed());
        assertTrue(states.get(removedRunning).removed());
        assertEquals(137, states.get(removedRunning).exitCode(), "rm -f killed it");
        assertEquals(2, states.get(out("inspect", "-f", "{{.Id}}", "retry")).restartCount());
        env.removeAllContainers();
    }

    private static void awaitRestarts(String name, int count) throws Exception {
        for (int i = 0; i < 300; i++) {
            String s = docker.run("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", name).stdout().trim();
            if (s.equals(count + " exited")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never settled after " + count + " restarts: " + docker.run("inspect", name).stdout());
    }

    private static long head() throws Exception {
        try (Connection c = env.db.connect(); ResultSet r = c.createStatement().executeQuery("SELECT max(global_index) FROM domain_event_entry")) {
            r.next();
            return r.getLong(1);
        }
    }
}
