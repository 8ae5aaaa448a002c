package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution's docker-compose (1.29, which drives the engine through its own docker-py 5.x)
 * against tallyd with the project in src/test/compose: up, ps, logs, logs -f, stop, start, down,
 * each checked through compose's exit status and what the docker CLI then shows.
 */
class ComposeIT extends AgainstExternalTally {
    private static final Path PROJECT_DIR = Path.of(System.getProperty("tally.project.dir", "."), "src/test/compose");
    private static final String PROJECT = "tallyit";
    private static final String STORE = PROJECT + "_store_1";
    private static final String WEB = PROJECT + "_web_1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private Map<String, String> environment;

    @BeforeEach
    void environment() throws Exception {
        environment = Map.of(
                "DOCKER_HOST", "unix://" + env.tally.socket(),
                "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("compose-docker-config")).toString(),
                "COMPOSE_PROJECT_NAME", PROJECT);
    }

    @AfterEach
    void cleanUp() throws Exception {
        compose("down", "--timeout", "1");
        env.removeAllContainers();
    }

    @Test
    void upStartsBothServicesInOrderWithTheirConfigurationAndComposeLabels() throws Exception {
        ok(compose("up", "-d"));
        assertEquals(Set.of(STORE, WEB), names(docker.run("ps", "--filter", "label=com.docker.compose.project=" + PROJECT,
                "--format", "{{.Names}}").assertOk().stdout()));
        assertEquals(Set.of(WEB), names(docker.run("ps", "--filter", "label=com.docker.compose.service=web",
                "--filter", "label=com.docker.compose.project=" + PROJECT, "--format", "{{.Names}}").assertOk().stdout()));

        JsonNode web = inspect(WEB);
        JsonNode labels = web.path("Config").path("Labels");
        assertEquals(PROJECT, labels.path("com.docker.compose.project").asText(), labels.toString());
        assertEquals("web", labels.path("com.docker.compose.service").asText(), labels.toString());
        assertEquals("1", labels.path("com.docker.compose.container-number").asText(), labels.toString());
        assertEquals("False", labels.path("com.docker.compose.oneoff").asText(), labels.toString());
        assertEquals("web", labels.path("tally.test.role").asText(), labels.toString());
        assertTrue(texts(web.path("Config").path("Env")).contains("GREETING=hello-compose"), web.path("Config").toString());
        assertEquals("always", web.path("HostConfig").path("RestartPolicy").path("Name").asText());
        assertEquals("unless-stopped", inspect(STORE).path("HostConfig").path("RestartPolicy").path("Name").asText());
        assertEquals("sh", web.path("Path").asText());
        assertEquals("running", web.path("State").path("Status").asText());

        // depends_on: store was started before web
        Instant storeStarted = Instant.parse(inspect(STORE).path("State").path("StartedAt").asText());
        Instant webStarted = Instant.parse(web.path("State").path("StartedAt").asText());
        assertFalse(webStarted.isBefore(storeStarted), "store " + storeStarted + ", web " + webStarted);

        // a second up finds the project as it is and leaves it alone
        DockerCli.Result again = ok(compose("up", "-d"));
        assertTrue(again.stderr().contains("is up-to-date"), again.stderr());
        assertEquals(web.path("Id").asText(), inspect(WEB).path("Id").asText());
    }

    @Test
    void psAndLogsShowTheProject() throws Exception {
        ok(compose("up", "-d"));
        DockerCli.Result ps = ok(compose("ps"));
        assertTrue(ps.stdout().lines().anyMatch(l -> l.startsWith(STORE) && l.contains("Up")), ps.stdout());
        assertTrue(ps.stdout().lines().anyMatch(l -> l.startsWith(WEB) && l.contains("Up")), ps.stdout());
        DockerCli.Result quiet = ok(compose("ps", "-q"));
        assertEquals(Set.of(inspect(STORE).path("Id").asText(), inspect(WEB).path("Id").asText()), names(quiet.stdout()));
        assertEquals(Set.of("store", "web"), names(ok(compose("ps", "--services")).stdout()));

        String logs = "";
        for (int i = 0; i < 100 && !(logs.contains("web up with hello-compose") && logs.contains("store ready as store")); i++) {
            logs = ok(compose("logs", "--no-color")).stdout();
        }
        assertTrue(logs.lines().anyMatch(l -> l.startsWith("web_1 ") && l.endsWith("| web up with hello-compose")), logs);
        assertTrue(logs.lines().anyMatch(l -> l.startsWith("store_1 ") && l.endsWith("| store ready as store")), logs);
        String webOnly = ok(compose("logs", "--no-color", "web")).stdout();
        assertFalse(webOnly.contains("store ready"), webOnly);
        assertEquals(docker.run("logs", WEB).assertOk().stdout().lines().findFirst().orElse(""), "web up with hello-compose");
    }

    @Test
    void logsFollowEndsWhenTheProjectStops() throws Exception {
        ok(compose("up", "-d"));
        Process follow = ClientProcess.start(composeCommand("logs", "-f", "--no-color", "web"), PROJECT_DIR, environment);
        follow.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = Thread.startVirtualThread(() -> {
            try {
                out[0] = follow.getInputStream().readAllBytes();
            } catch (java.io.IOException e) {
                out[0] = new byte[0];
            }
        });
        Thread.startVirtualThread(() -> {
            try {
                follow.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ignored) {
                // the follower ended
            }
        });
        // wait until the follower has seen a tick printed after it started, then stop the project
        int ticks = 0;
        for (int i = 0; i < 100 && ticks < 3; i++) {
            ticks = (int) docker.run("logs", WEB).assertOk().stdout().lines().filter("tick"::equals).count();
            Thread.sleep(200);
        }
        ok(compose("stop", "--timeout", "5"));
        // logs -f ends by itself once the followed container stopped; the bound only guards against a hang
        boolean ended = follow.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) {
            follow.destroyForcibly().waitFor();
        }
        reader.join();
        String followed = new String(out[0], StandardCharsets.UTF_8);
        assertTrue(ended, "logs -f did not end after stop; it printed:\n" + followed);
        assertEquals(0, follow.exitValue(), followed);
        assertTrue(followed.lines().anyMatch(l -> l.startsWith("web_1 ") && l.endsWith("| web up with hello-compose")), followed);
        assertTrue(followed.lines().filter(l -> l.endsWith("| tick")).count() >= ticks, followed);
    }

    @Test
    void stopStartAndDownChangeWhatDockerShows() throws Exception {
        ok(compose("up", "-d"));
        String webId = inspect(WEB).path("Id").asText();

        ok(compose("stop", "--timeout", "5"));
        for (String name : List.of(STORE, WEB)) {
            JsonNode state = inspect(name).path("State");
            assertEquals("exited", state.path("Status").asText(), name + ": " + state);
        }
        assertEquals(Set.of(), names(docker.run("ps", "--filter", "label=com.docker.compose.project=" + PROJECT,
                "--format", "{{.Names}}").assertOk().stdout()));
        assertEquals(Set.of(STORE, WEB), names(docker.run("ps", "-a", "--filter", "label=com.docker.compose.project=" + PROJECT,
                "--filter", "status=exited", "--format", "{{.Names}}").assertOk().stdout()));

        ok(compose("start"));
        for (String name : List.of(STORE, WEB)) {
            assertEquals("running", inspect(name).path("State").path("Status").asText(), name);
        }
        assertEquals(webId, inspect(WEB).path("Id").asText(), "start reuses the containers");

        ok(compose("down", "--timeout", "5"));
        assertEquals(Set.of(), names(docker.run("ps", "-a", "--filter", "label=com.docker.compose.project=" + PROJECT,
                "--format", "{{.Names}}").assertOk().stdout()));
        DockerCli.Result gone = docker.run("inspect", WEB);
        assertTrue(gone.exitCode() != 0 && gone.stderr().contains("No such"), gone.stderr());
    }

    private DockerCli.Result compose(String... args) throws Exception {
        return ClientProcess.run(composeCommand(args), PROJECT_DIR, environment, 180);
    }

    private static List<String> composeCommand(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-f", PROJECT_DIR.resolve("docker-compose.yml").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static DockerCli.Result ok(DockerCli.Result r) {
        if (r.exitCode() != 0) {
            throw new AssertionError("docker-compose exited " + r.exitCode() + "\nstdout: " + r.stdout() + "\nstderr: " + r.stderr());
        }
        return r;
    }

    private static JsonNode inspect(String name) throws Exception {
        return JSON.readTree(docker.run("inspect", name).assertOk().stdout()).get(0);
    }

    private static Set<String> names(String lines) {
        Set<String> s = new TreeSet<>();
        lines.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(s::add);
        return s;
    }

    private static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }
}
