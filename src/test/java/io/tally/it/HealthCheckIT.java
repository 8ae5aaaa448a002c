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
        // probes leave no exec session files behind (at most the one running now)
        awaitLogEntries("hc-ok", 3);
        java.nio.file.Path execs = tmp.resolve("root").resolve("containers").resolve(id).resolve("exec");
        try (var left = java.nio.file.Files.exists(execs) ? java.nio.file.Files.list(execs) : java.util.stream.Stream.<java.nio.file.Path>empty()) {
            assertTrue(left.count() <= 1, execs.toString());
        }
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
        // killed probes do not pile up: once several have timed out, at most the current one runs
        awaitLogEntries("hc-slow", 3);
        assertTrue(probesRunning("hc-slow") <= 1, docker.run("top", "hc-slow").stdout());
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

    @Test
    void theImagesHealthcheckIsTheDefaultAndTheContainersOwnOverridesIt() throws Exception {
        loadImageWithHealthcheck("bbhc:latest", "echo from-image");
        out("run", "-d", "--name", "hc-image", "bbhc", "sleep", "300");
        awaitHealth("hc-image", "healthy");
        JsonNode last = inspect("hc-image").path("State").path("Health").path("Log").get(0);
        assertEquals("from-image\n", last.path("Output").asText());

        // its own test, the image's interval and retries (1s, 1)
        out("run", "-d", "--name", "hc-own", "--health-cmd", "exit 1", "bbhc", "sleep", "300");
        awaitHealth("hc-own", "unhealthy");
        JsonNode config = inspect("hc-own").path("Config").path("Healthcheck");
        assertEquals(1_000_000_000L, config.path("Interval").asLong(), config.toString());

        String off = out("run", "-d", "--name", "hc-image-off", "--no-healthcheck", "bbhc", "sleep", "300");
        assertTrue(inspect("hc-image-off").path("State").path("Health").isMissingNode());
        assertTrue(out("ps", "-q", "--no-trunc", "--filter", "health=none").contains(off));
    }

    /** bb with a HEALTHCHECK in its config (interval 1s, retries 1), loaded as {@code tag}. */
    private static void loadImageWithHealthcheck(String tag, String command) throws Exception {
        java.util.Map<String, byte[]> files = new java.util.HashMap<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                java.nio.file.Files.newInputStream(BusyboxImage.archive()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory()) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        }
        JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
        var config = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(files.get(manifest.path("Config").asText()));
        String layerName = manifest.path("Layers").get(0).asText();
        byte[] layer = files.get(layerName);
        com.fasterxml.jackson.databind.node.ObjectNode check = ((com.fasterxml.jackson.databind.node.ObjectNode) config.path("config"))
                .putObject("Healthcheck");
        check.putArray("Test").add("CMD-SHELL").add(command);
        check.put("Interval", 1_000_000_000L);
        check.put("Retries", 1);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configName = Tars.sha256(configBytes) + ".json";
        String newManifest = JSON.writeValueAsString(List.of(java.util.Map.of("Config", configName, "RepoTags", List.of(tag),
                "Layers", List.of(layerName))));
        java.nio.file.Path archive = tmp.resolve("bbhc.tar");
        java.nio.file.Files.write(archive, new Tars().file("manifest.json", newManifest).file(configName, configBytes)
                .dir(layerName.substring(0, layerName.indexOf('/'))).file(layerName, layer).build());
        docker.run("load", "-i", archive.toString()).assertOk();
    }

    private static long probesRunning(String name) throws Exception {
        return docker.run("top", name).assertOk().stdout().lines().filter(l -> l.trim().endsWith("sleep 30")).count();
    }

    private static void awaitLogEntries(String name, int entries) throws Exception {
        int seen = 0;
        for (int i = 0; i < ATTEMPTS && seen < entries; i++) {
            Thread.sleep(100);
            seen = inspect(name).path("State").path("Health").path("Log").size();
        }
        assertTrue(seen >= entries, name + " has " + seen + " health results");
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
