package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health checks through the stock docker CLI: probes run in the container, the status shows in
 * inspect and ps (and its health filter), the transitions are health_status events in the store,
 * in `docker events` and in the history; checks go on after a tallyd restart.
 */
class HealthCheckIT extends AgainstExternalTally {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A bound on waiting, not an assertion on time: probes run every second. */
    private static final int ATTEMPTS = 300;

    @AfterEach
    void cleanUp() throws Exception {
        env.removeAllContainers();
    }

    @Test
    void aPassingCheckMakesTheContainerHealthy() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String id = out("run", "-d", "--name", "hc-ok", "--health-cmd", "echo fine", "--health-interval", "1s", "bb", "sleep", "300");
        awaitHealth("hc-ok", "healthy");

        JsonNode health = inspect("hc-ok").path("State").path("Health");
        assertEquals(0, health.path("FailingStreak").asInt(), health.toString());
        JsonNode last = health.path("Log").get(health.path("Log").size() - 1);
        assertEquals(0, last.path("ExitCode").asInt(), health.toString());
        assertEquals("fine\n", last.path("Output").asText(), health.toString());
        assertEquals("CMD-SHELL", inspect("hc-ok").path("Config").path("Healthcheck").path("Test").get(0).asText());

        assertTrue(out("ps", "--filter", "name=hc-ok", "--format", "{{.Status}}").endsWith("(healthy)"));
        assertTrue(out("ps", "-q", "--no-trunc", "--filter", "health=healthy").contains(id));
        assertFalse(out("ps", "-q", "--no-trunc", "--filter", "health=none").contains(id));
        // a probe is not one of the user's exec sessions
        assertEquals("[]", out("inspect", "-f", "{{json .ExecIDs}}", "hc-ok").replace("null", "[]"));

        List<String> events = healthEvents(id, since);
        assertEquals(List.of("health_status: healthy"), events);
        try (Connection c = env.db.connect()) {
            long changes = StoredEvents.all(c).stream().filter(r -> r.aggregateId().equals(id))
                    .filter(r -> r.simpleType().equals("ContainerHealthChanged")).count();
            assertEquals(1, changes, "one recorded change, however many probes ran");
        }
        JsonNode history = new TallyApi(env.tally.socket()).get("/tally/v1/containers/" + id + "/history").assertStatus(200).json();
        List<String> statuses = new ArrayList<>();
        history.forEach(e -> {
            if (e.path("type").asText().equals("container.health_changed")) {
                statuses.add(e.path("payload").path("status").asText());
            }
        });
        assertEquals(List.of("healthy"), statuses, history.toString());
    }

    @Test
    void aFailingCheckMakesItUnhealthyAfterTheRetries() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String id = out("run", "-d", "--name", "hc-bad", "--health-cmd", "echo broken >&2; exit 3", "--health-interval", "1s",
                "--health-retries", "2", "bb", "sleep", "300");
        awaitHealth("hc-bad", "unhealthy");

        JsonNode health = inspect("hc-bad").path("State").path("Health");
        assertTrue(health.path("FailingStreak").asInt() >= 2, health.toString());
        JsonNode last = health.path("Log").get(health.path("Log").size() - 1);
        assertEquals(3, last.path("ExitCode").asInt(), health.toString());
        assertEquals("broken\n", last.path("Output").asText(), health.toString());
        assertTrue(out("ps", "--filter", "name=hc-bad", "--format", "{{.Status}}").endsWith("(unhealthy)"));
        assertTrue(out("ps", "-q", "--no-trunc", "--filter", "health=unhealthy").contains(id));
        assertEquals(List.of("health_status: unhealthy"), healthEvents(id, since));
    }

    @Test
    void aProbeBeyondItsTimeoutIsKilledAndFails() throws Exception {
        out("run", "-d", "--name", "hc-slow", "--health-cmd", "sleep 30", "--health-interval", "1s", "--health-timeout", "1s",
                "--health-retries", "1", "bb", "sleep", "300");
        awaitHealth("hc-slow", "unhealthy");
        JsonNode last = inspect("hc-slow").path("State").path("Health").path("Log").get(0);
        assertEquals(-1, last.path("ExitCode").asInt(), last.toString());
        assertEquals("Health check exceeded timeout (1s)", last.path("Output").asText());
        // the killed probe leaves no process behind
        String processes = "";
        for (int i = 0; i < ATTEMPTS; i++) {
            processes = docker.run("top", "hc-slow").assertOk().stdout();
            if (processes.lines().filter(l -> l.contains("sleep 30")).count() <= 1) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(processes.lines().filter(l -> l.contains("sleep 30")).count() <= 1, processes);
    }

    @Test
    void beforeTheFirstProbeItIsStartingAndWithoutACheckItIsNone() throws Exception {
        String starting = out("run", "-d", "--name", "hc-wait", "--health-cmd", "true", "--health-interval", "1h", "bb", "sleep", "300");
        String plain = out("run", "-d", "--name", "hc-none", "bb", "sleep", "300");
        String disabled = out("run", "-d", "--name", "hc-off", "--no-healthcheck", "bb", "sleep", "300");

        assertEquals("starting", out("inspect", "-f", "{{.State.Health.Status}}", "hc-wait"));
        assertTrue(out("ps", "--filter", "name=hc-wait", "--format", "{{.Status}}").endsWith("(health: starting)"));
        assertEquals(starting, out("ps", "-q", "--no-trunc", "--filter", "health=starting"));
        String none = out("ps", "-q", "--no-trunc", "--filter", "health=none");
        assertTrue(none.contains(plain) && none.contains(disabled) && !none.contains(starting), none);
        assertTrue(inspect("hc-none").path("State").path("Health").isMissingNode());
        assertTrue(inspect("hc-off").path("State").path("Health").isMissingNode());
        assertEquals("NONE", inspect("hc-off").path("Config").path("Healthcheck").path("Test").get(0).asText());

        DockerCli.Result bad = docker.run("ps", "--filter", "health=sick");
        assertTrue(bad.exitCode() != 0);
        assertTrue(bad.stderr().contains("Unrecognised filter value for health: sick"), bad.stderr());
    }

    @Test
    void checksGoOnAfterTallydRestarts() throws Exception {
        out("run", "-d", "--name", "hc-live", "--health-cmd", "test -f /tmp/ready", "--health-interval", "1s",
                "--health-retries", "1", "bb", "sleep", "300");
        awaitHealth("hc-live", "unhealthy");
        env.restartTally();
        assertEquals("unhealthy", out("inspect", "-f", "{{.State.Health.Status}}", "hc-live"));
        docker.run("exec", "hc-live", "touch", "/tmp/ready").assertOk();
        awaitHealth("hc-live", "healthy");
    }

    private static JsonNode inspect(String name) throws Exception {
        return JSON.readTree(out("inspect", name)).get(0);
    }

    private static void awaitHealth(String name, String expected) throws Exception {
        String status = "";
        for (int i = 0; i < ATTEMPTS && !status.equals(expected); i++) {
            Thread.sleep(100);
            status = out("inspect", "-f", "{{.State.Health.Status}}", name);
        }
        assertEquals(expected, status, name + ": " + out("inspect", "-f", "{{json .State.Health}}", name));
    }

    private static List<String> healthEvents(String id, Instant since) throws Exception {
        return out("events", "--since", Long.toString(since.getEpochSecond()), "--until", Long.toString(Instant.now().getEpochSecond() + 1),
                "--filter", "container=" + id, "--filter", "event=health_status", "--format", "{{.Status}}")
                .lines().filter(l -> !l.isBlank()).toList();
    }
}
