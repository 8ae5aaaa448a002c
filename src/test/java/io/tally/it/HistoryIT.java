package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "What happened here?": docker events from the event store (history, live, filters, across a
 * restart), the history endpoints with who did what, and containers as they were at a time.
 */
class HistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "tallyhist";
    private static final String GROUP = "tally";

    @TempDir
    static Path tmp;
    static ExternalTally env;
    static DockerCli docker;
    static int port;
    static Path shared;
    static boolean createdGroup;
    static boolean createdUser;

    @BeforeAll
    static void start() throws Exception {
        createdGroup = sh("getent group " + GROUP) != 0 && sh("groupadd " + GROUP) == 0;
        createdUser = sh("id -u " + USER) != 0 && sh("useradd -M -N -g " + GROUP + " -s /usr/sbin/nologin " + USER) == 0;
        assertEquals(0, sh("usermod -a -G " + GROUP + " " + USER), "user " + USER + " in group " + GROUP);
        // The user must reach the socket: the test's own temp dir is private to root.
        shared = Files.createTempDirectory("tally-hist");
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path userConfig = Files.createDirectories(shared.resolve("cfg"));
        Files.setPosixFilePermissions(userConfig, PosixFilePermissions.fromString("rwxrwxrwx"));
        port = KafkaBrokerProcess.freePort();
        env = ExternalTally.start(tmp, "--group", GROUP, "-H", "unix://" + shared.resolve("t.sock"), "-H", "tcp://127.0.0.1:" + port);
        docker = env.docker;
        BusyboxImage.loadInto(docker);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (env != null) {
                env.close();
            }
        } finally {
            if (createdUser) {
                sh("userdel " + USER);
            }
            if (createdGroup) {
                sh("groupdel " + GROUP);
            }
            if (shared != null) {
                sh("rm -rf " + shared);
            }
        }
    }

    // ---- acceptance point 2: who did it ----

    @Test
    void historyRecordsTheUnixUserOfEachCommand() throws Exception {
        DockerCli.Result byUser = docker.shell("timeout -s KILL 60 runuser -u " + USER + " -- env DOCKER_HOST=unix://" + shared.resolve("t.sock")
                + " DOCKER_CONFIG=" + shared.resolve("cfg") + " docker run -d --name by-user bb sleep 300").assertOk();
        String userContainer = byUser.stdout().trim();
        out("run", "-d", "--name", "by-root", "bb", "sleep", "300");
        out("stop", "-t", "1", "by-user");
        int uid = Integer.parseInt(shell("id -u " + USER));

        List<JsonNode> userHistory = json(http().get("/tally/v1/containers/by-user/history").then().statusCode(200).extract().response());
        JsonNode created = only(userHistory, "container.created");
        assertEquals("unix", created.path("actor").path("transport").asText(), created.toString());
        assertEquals(uid, created.path("actor").path("uid").asInt(), created.toString());
        assertEquals(USER, created.path("actor").path("user").asText(), created.toString());
        assertEquals(USER, only(userHistory, "container.started").path("actor").path("user").asText());
        JsonNode stop = only(userHistory, "container.stop_requested");
        assertEquals(0, stop.path("actor").path("uid").asInt(), stop.toString());
        assertEquals("root", stop.path("actor").path("user").asText(), stop.toString());
        assertEquals(userContainer, created.path("payload").path("containerId").asText());
        assertEquals(0, created.path("sequence").asLong());
        assertTrue(created.path("globalIndex").asLong() > 0, created.toString());
        assertTrue(created.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), created.toString());
        assertTrue(created.path("actor").path("userAgent").asText().startsWith("Docker-Client/"), created.toString());
        assertFalse(created.path("actor").path("requestId").asText().isEmpty(), created.toString());

        JsonNode rootCreated = only(json(http().get("/tally/v1/containers/by-root/history").then().statusCode(200).extract().response()),
                "container.created");
        assertEquals(0, rootCreated.path("actor").path("uid").asInt(), rootCreated.toString());
        assertEquals("root", rootCreated.path("actor").path("user").asText(), rootCreated.toString());
        out("rm", "-f", "by-user", "by-root");
    }

    @Test
    void imageHistoryByNameAndUnknownNames() throws Exception {
        out("tag", "bb", "hist-img:v1");
        List<JsonNode> h = json(http().get("/tally/v1/images/hist-img:v1/history").then().statusCode(200).extract().response());
        assertEquals("image.loaded", h.get(0).path("type").asText(), h.toString());
        assertTrue(h.stream().anyMatch(e -> e.path("type").asText().equals("image.tagged")
                && e.path("payload").path("reference").asText().equals("docker.io/library/hist-img:v1")), h.toString());
        out("rmi", "hist-img:v1");
        http().get("/tally/v1/images/no-such-image/history").then().statusCode(404);
        http().get("/tally/v1/containers/no-such-container/history").then().statusCode(404);
    }

    // ---- docker events ----

    @Test
    void eventsBetweenSinceAndUntilAlsoAfterARestart() throws Exception {
        String since = unixSeconds(Instant.now());
        String id = out("run", "-d", "--name", "ev-life", "bb", "sh", "-c", "exit 3");
        assertEquals("3", out("wait", "ev-life"));
        out("rm", "ev-life");
        String until = unixSeconds(Instant.now());

        List<JsonNode> before = events("--since", since, "--until", until, "--filter", "container=" + id);
        assertEquals(List.of("create", "start", "die", "destroy"), actions(before));
        JsonNode die = before.get(2);
        assertEquals("container", die.path("Type").asText());
        assertEquals(id, die.path("Actor").path("ID").asText());
        assertEquals("ev-life", die.path("Actor").path("Attributes").path("name").asText());
        assertEquals("bb", die.path("Actor").path("Attributes").path("image").asText());
        assertEquals("3", die.path("Actor").path("Attributes").path("exitCode").asText());
        assertEquals("die", die.path("status").asText());
        assertEquals(id, die.path("id").asText());
        assertEquals("bb", die.path("from").asText());
        assertEquals("local", die.path("scope").asText());
        assertEquals(die.path("time").asLong(), die.path("timeNano").asLong() / 1_000_000_000L);

        env.restartTally();
        List<JsonNode> after = events("--since", since, "--until", until, "--filter", "container=" + id);
        assertEquals(before, after, "the same history after tallyd restarted");
        List<JsonNode> daemon = events("--since", since, "--filter", "type=daemon", "--until", unixSeconds(Instant.now()));
        assertTrue(actions(daemon).containsAll(List.of("stop", "start")), daemon.toString());
    }

    @Test
    void eventsFilters() throws Exception {
        String since = unixSeconds(Instant.now());
        String blue = out("run", "-d", "--name", "flt-blue", "--label", "team=blue", "bb", "true");
        out("wait", "flt-blue");
        out("run", "-d", "--name", "flt-plain", "bb", "true");
        out("wait", "flt-plain");
        out("tag", "bb", "flt-img:v1");
        out("rmi", "flt-img:v1");
        String until = unixSeconds(Instant.now());

        List<JsonNode> byName = events("--since", since, "--until", until, "--filter", "container=flt-blue");
        assertEquals(List.of("create", "start", "die"), actions(byName));
        assertTrue(byName.stream().allMatch(e -> e.path("Actor").path("Attributes").path("team").asText().equals("blue")), byName.toString());
        assertEquals(byName, events("--since", since, "--until", until, "--filter", "container=" + blue.substring(0, 10)));

        List<JsonNode> deaths = events("--since", since, "--until", until, "--filter", "event=die");
        assertEquals(List.of("flt-blue", "flt-plain"), names(deaths));
        assertTrue(deaths.stream().allMatch(e -> e.path("Action").asText().equals("die")), deaths.toString());

        List<JsonNode> labelled = events("--since", since, "--until", until, "--filter", "label=team=blue", "--filter", "event=start");
        assertEquals(List.of("flt-blue"), names(labelled));

        List<JsonNode> images = events("--since", since, "--until", until, "--filter", "type=image");
        assertEquals(List.of("tag", "untag"), actions(images));
        assertEquals("flt-img:v1", images.get(0).path("Actor").path("Attributes").path("name").asText());
        assertTrue(images.get(1).path("Actor").path("Attributes").path("name").asText().startsWith("sha256:"), images.toString());
        assertTrue(images.get(0).path("Actor").path("ID").asText().startsWith("sha256:"), images.toString());
        out("rm", "flt-blue", "flt-plain");
    }

    @Test
    void liveEventsSeeANewContainerStart() throws Exception {
        try (LiveEvents live = LiveEvents.open(List.of())) {
            // Tag images until one tag shows up: then the stream is surely following new events.
            boolean following = false;
            for (int i = 0; i < 30 && !following; i++) {
                out("tag", "bb", "live-probe:" + i);
                following = live.await(e -> e.path("Action").asText().equals("tag")
                        && e.path("Actor").path("Attributes").path("name").asText().startsWith("live-probe:"), 2) != null;
            }
            assertTrue(following, "a live docker events saw none of the probe tags");
            out("run", "-d", "--name", "live-one", "bb", "true");
            JsonNode start = live.await(e -> e.path("Action").asText().equals("start")
                    && e.path("Actor").path("Attributes").path("name").asText().equals("live-one"), 60);
            assertNotNull(start, "the live stream showed live-one's start; saw " + live.seen);
        }
        out("rm", "-f", "live-one");
        for (int i = 0; i < 30; i++) {
            docker.run("rmi", "live-probe:" + i);
        }
    }

    @Test
    void sinceWithoutUntilHandsOverFromHistoryToLiveWithoutGapOrDuplicate() throws Exception {
        String since = unixSeconds(Instant.now());
        out("create", "--name", "handover", "bb", "true");
        try (LiveEvents live = LiveEvents.open(List.of("--since", since, "--filter", "container=handover"))) {
            assertNotNull(live.await(e -> e.path("Action").asText().equals("create"), 60), "history part: " + live.seen);
            out("start", "handover");
            assertNotNull(live.await(e -> e.path("Action").asText().equals("die"), 60), "live part: " + live.seen);
            assertEquals(List.of("create", "start", "die"), actions(live.seen), "each event once, in order");
        }
        out("rm", "handover");
    }

    // ---- containers as they were ----

    @Test
    void containerAsOfEachStep() throws Exception {
        Instant beforeCreate = Instant.now();
        String id = out("create", "--name", "asof-a", "bb", "sleep", "300");
        Instant created = Instant.now();
        out("start", "asof-a");
        Instant started = Instant.now();
        out("rename", "asof-a", "asof-b");
        Instant renamed = Instant.now();
        out("stop", "-t", "1", "asof-b");
        Instant stopped = Instant.now();
        out("rm", "asof-b");
        Instant removed = Instant.now();

        String notYet = http().queryParam("at", beforeCreate.toString()).get("/containers/" + id + "/json")
                .then().statusCode(404).extract().path("message");
        assertTrue(notYet.contains("did not exist yet"), notYet);
        assertState(asOf(id, created.toString()), "/asof-a", "created", false);
        JsonNode running = asOf(id, started.toString());
        assertState(running, "/asof-a", "running", true);
        assertTrue(running.path("State").path("Pid").asLong() > 0, running.toString());
        assertState(asOf(id, renamed.toString()), "/asof-b", "running", true);
        JsonNode exited = asOf(id, stopped.toString());
        assertState(exited, "/asof-b", "exited", false);
        assertEquals(137, exited.path("State").path("ExitCode").asInt(), "sleep ignores SIGTERM: killed after the timeout");
        String gone = http().queryParam("at", removed.toString()).get("/containers/" + id + "/json")
                .then().statusCode(404).extract().path("message");
        assertTrue(gone.contains("was removed"), gone);

        // Tally's own route, Unix seconds, and global event sequences.
        JsonNode tallyView = JSON.readTree(http().queryParam("at", unixSeconds(renamed)).get("/tally/v1/containers/" + id)
                .then().statusCode(200).extract().asString());
        assertState(tallyView, "/asof-b", "running", true);
        List<JsonNode> history = json(http().get("/tally/v1/containers/" + id + "/history").then().statusCode(200).extract().response());
        assertEquals("container.created", history.get(0).path("type").asText());
        assertEquals("container.removed", history.get(history.size() - 1).path("type").asText());
        long renameIndex = only(history, "container.renamed").path("globalIndex").asLong();
        assertState(asOf(id, "seq:" + renameIndex), "/asof-b", "running", true);
        assertState(asOf(id, "seq:" + (renameIndex - 1)), "/asof-a", "running", true);
        http().get("/tally/v1/containers/asof-b/history").then().statusCode(404);
    }

    @Test
    void badTimesAre400NamingTheFormats() throws Exception {
        out("create", "--name", "bad-at", "bb", "true");
        for (String bad : List.of("yesterday", "12:00", "seq:x")) {
            String m = http().queryParam("at", bad).get("/containers/bad-at/json").then().statusCode(400)
                    .contentType("application/json").extract().path("message");
            assertTrue(m.contains("RFC 3339") && m.contains("Unix seconds") && m.contains("seq:N"), m);
            http().queryParam("at", bad).get("/tally/v1/containers/bad-at").then().statusCode(400);
        }
        for (String param : List.of("since", "until")) {
            String m = http().queryParam(param, "last tuesday").get("/events").then().statusCode(400)
                    .contentType("application/json").extract().path("message");
            assertTrue(m.contains(param) && m.contains("RFC 3339") && m.contains("Unix seconds"), m);
        }
        http().queryParam("filters", "{\"colour\":{\"red\":true}}").get("/events").then().statusCode(400);
        out("rm", "bad-at");
    }

    // ---- helpers ----

    private static void assertState(JsonNode inspect, String name, String status, boolean running) {
        assertEquals(name, inspect.path("Name").asText(), inspect.toString());
        assertEquals(status, inspect.path("State").path("Status").asText(), inspect.toString());
        assertEquals(running, inspect.path("State").path("Running").asBoolean(), inspect.toString());
    }

    private static JsonNode asOf(String id, String at) throws Exception {
        return JSON.readTree(http().queryParam("at", at).get("/containers/" + id + "/json").then().statusCode(200).extract().asString());
    }

    private static RequestSpecification http() {
        return given().baseUri("http://127.0.0.1").port(port);
    }

    private static List<JsonNode> json(Response r) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        JSON.readTree(r.asString()).forEach(list::add);
        return list;
    }

    private static JsonNode only(List<JsonNode> history, String type) {
        List<JsonNode> matching = history.stream().filter(e -> e.path("type").asText().equals(type)).toList();
        assertEquals(1, matching.size(), type + " in " + history);
        return matching.get(0);
    }

    private static List<JsonNode> events(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("events", "--format", "{{json .}}"));
        cmd.addAll(List.of(args));
        String out = docker.run(cmd.toArray(String[]::new)).assertOk().stdout();
        List<JsonNode> list = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            list.add(JSON.readTree(line));
        }
        return list;
    }

    private static List<String> actions(List<JsonNode> events) {
        return events.stream().map(e -> e.path("Action").asText()).toList();
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(e -> e.path("Actor").path("Attributes").path("name").asText()).toList();
    }

    /** Unix seconds with nanoseconds, as the docker CLI sends --since and --until. */
    private static String unixSeconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
    }

    private static String out(String... args) throws Exception {
        return docker.run(args).assertOk().stdout().trim();
    }

    private static String shell(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command);
        return out;
    }

    private static int sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "timeout -s KILL 60 " + command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(70, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** A `docker events` left running; its messages are collected as they arrive. */
    private static final class LiveEvents implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<JsonNode> arrived = new LinkedBlockingQueue<>();
        final List<JsonNode> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        private LiveEvents(Process process) {
            this.process = process;
            Thread.startVirtualThread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (!line.isBlank()) {
                            JsonNode e = JSON.readTree(line);
                            seen.add(e);
                            arrived.add(e);
                        }
                    }
                } catch (Exception e) {
                    // the process was stopped
                }
            });
        }

        static LiveEvents open(List<String> args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "KILL", "300", "docker", "events", "--format", "{{json .}}"));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DOCKER_HOST", "unix://" + env.tally.socket());
            pb.environment().put("DOCKER_CONFIG", tmp.resolve("docker-config").toString());
            return new LiveEvents(pb.start());
        }

        /** The first message from now on that matches, or null after {@code seconds}. */
        JsonNode await(Predicate<JsonNode> wanted, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
                JsonNode e = arrived.poll(left, TimeUnit.NANOSECONDS);
                if (e != null && wanted.test(e)) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            // SIGTERM reaches docker through timeout; SIGKILL only if it does not leave.
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        }
    }
}
