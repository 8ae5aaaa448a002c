package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `docker ps -a` at a point of the history, the projections registry (replay, digest) and Container snapshots. */
class ProjectionsIT extends AgainstExternalTally {
    static final String LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";
    static final List<String> PROJECTIONS = List.of("container_view", "exec_view", "image_view", "container_timeline",
            "container_health");

    private static TallyApi api() {
        return new TallyApi(env.tally.socket());
    }

    private static long head() throws Exception {
        try (Connection c = env.db.connect(); ResultSet r = c.createStatement().executeQuery("SELECT max(global_index) FROM domain_event_entry")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static long storedUpTo(long globalIndex) throws Exception {
        try (Connection c = env.db.connect();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM domain_event_entry WHERE global_index <= ?")) {
            s.setLong(1, globalIndex);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String eventTime(long globalIndex) throws Exception {
        try (Connection c = env.db.connect();
             PreparedStatement s = c.prepareStatement("SELECT time_stamp FROM domain_event_entry WHERE global_index = ?")) {
            s.setLong(1, globalIndex);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }

    /** The containers of an answer by name, with their State. */
    private static Map<String, String> states(JsonNode list) {
        Map<String, String> m = new TreeMap<>();
        list.forEach(c -> m.put(c.path("Names").get(0).asText().substring(1), c.path("State").asText()));
        return m;
    }

    private static JsonNode psAt(String at) throws Exception {
        return api().get("/tally/v1/containers?at=" + at).assertStatus(200).json();
    }

    @Test
    void psAtEachPointOfAContainersLife() throws Exception {
        long before = head();
        String id = out("create", "--name", "h1", "bb", "sh", "-c", LOOP);
        long created = head();
        out("start", "h1");
        long started = head();
        out("rename", "h1", "h1b");
        long renamed = head();
        out("stop", "h1b");
        long stopped = head();
        out("rm", "h1b");
        long removed = head();

        assertFalse(states(psAt("seq:" + before)).containsKey("h1"), "not created yet");
        assertEquals("created", states(psAt("seq:" + created)).get("h1"));
        assertEquals("running", states(psAt("seq:" + started)).get("h1"));
        // a plain number is a time (Unix seconds), as in `docker events --since`: long ago, nothing existed
        assertFalse(states(psAt(String.valueOf(started))).containsKey("h1"), "a plain integer is Unix seconds");
        assertEquals("running", states(psAt("seq:" + renamed)).get("h1b"));
        assertFalse(states(psAt("seq:" + renamed)).containsKey("h1"));
        assertEquals("exited", states(psAt("seq:" + stopped)).get("h1b"));
        assertFalse(states(psAt("seq:" + removed)).containsKey("h1b"), "removed");
        assertFalse(states(api().get("/tally/v1/containers").assertStatus(200).json()).containsKey("h1b"));

        // By time: the moment the create was stored, and a millisecond before it.
        Instant createdAt = Instant.parse(eventTime(created));
        assertEquals("created", states(psAt(createdAt.toString())).get("h1"));
        assertFalse(states(psAt(createdAt.minusMillis(1).toString())).containsKey("h1"));
        assertFalse(states(psAt(Instant.now().toString())).containsKey("h1b"));

        JsonNode running = psAt("seq:" + started);
        JsonNode h1 = null;
        for (JsonNode c : running) {
            if (c.path("Id").asText().equals(id)) {
                h1 = c;
            }
        }
        assertTrue(h1 != null, running.toString());
        assertEquals("bb", h1.path("Image").asText());
        assertTrue(h1.path("Command").asText().startsWith("sh -c"), h1.toString());
        assertTrue(h1.path("Status").asText().startsWith("Up "), h1.toString());
    }

    @Test
    void theCurrentTimelineAnswersLikeDockerPsAll() throws Exception {
        out("run", "-d", "--name", "now-running", "bb", "sh", "-c", LOOP);
        out("create", "--name", "now-created", "bb", "true");
        assertEquals(3, docker.run("run", "--name", "now-exited", "bb", "sh", "-c", "exit 3").exitCode());
        JsonNode ps = api().get("/containers/json?all=1").assertStatus(200).json();
        JsonNode timeline = api().get("/tally/v1/containers?at=" + Instant.now()).assertStatus(200).json();
        assertEquals(summaries(ps), summaries(timeline));
        assertEquals(fieldNames(ps.get(0)), fieldNames(timeline.get(0)), "same JSON shape");
        env.removeAllContainers();
    }

    private static List<String> summaries(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(c -> out.add(String.join("|", c.path("Id").asText(), c.path("Names").toString(), c.path("Image").asText(),
                c.path("ImageID").asText(), c.path("Command").asText(), c.path("Created").asText(), c.path("State").asText(),
                c.path("Labels").toString(), c.path("HostConfig").toString())));
        out.sort(null);
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aBadTimeCoordinateIsRefusedNamingTheFormats() throws Exception {
        TallyApi.Response r = api().get("/tally/v1/containers?at=yesterday");
        assertEquals(400, r.status(), r.body());
        String message = r.json().path("message").asText();
        assertTrue(message.contains("RFC 3339") && message.contains("seq:N"), message);
    }

    @Test
    void everyProjectionReplaysToTheSameDigest() throws Exception {
        out("run", "-d", "--name", "d1", "bb", "sh", "-c", LOOP);
        out("create", "--name", "d2", "bb", "true");
        out("rename", "d2", "d2b");
        assertEquals(7, docker.run("run", "--name", "d3", "bb", "sh", "-c", "exit 7").exitCode());
        out("run", "--rm", "bb", "true");
        out("tag", "bb", "bb:other");
        out("exec", "d1", "true");
        out("exec", "-d", "d1", "sleep", "1000");
        // a container with a health check gives container_health a row (no probe runs within the test)
        out("run", "-d", "--name", "d4", "--health-cmd", "true", "--health-interval", "1h", "bb", "sh", "-c", LOOP);

        long head = head();
        JsonNode list = api().get("/tally/v1/projections").assertStatus(200).json();
        List<String> names = new ArrayList<>();
        Map<String, List<String>> tables = new TreeMap<>();
        for (JsonNode p : list) {
            names.add(p.path("Name").asText());
            List<String> own = new ArrayList<>();
            p.path("Tables").forEach(t -> own.add(t.asText()));
            tables.put(p.path("Name").asText(), own);
            // Head is read before the positions: every event it counts has moved every projection.
            assertTrue(p.path("Position").asLong() >= Math.max(head, p.path("Head").asLong()), p.toString());
            assertEquals(0, p.path("Lag").asLong(), p.toString());
        }
        assertEquals(PROJECTIONS, names);

        for (String name : PROJECTIONS) {
            String before = api().get("/tally/v1/projections/" + name + "/digest").assertStatus(200).json().path("Digest").asText();
            JsonNode replay = api().post("/tally/v1/projections/" + name + "/replay").assertStatus(200).json();
            assertTrue(replay.path("Position").asLong() >= head, replay.toString());
            assertEquals(storedUpTo(replay.path("Position").asLong()), replay.path("Events").asLong(),
                    "every stored event went through the handlers: " + replay);
            String after = api().get("/tally/v1/projections/" + name + "/digest").assertStatus(200).json().path("Digest").asText();
            assertEquals(before, after, name);

            // rows lost (deleted behind tallyd's back) come back with a replay
            try (Connection c = env.db.connect(); var st = c.createStatement()) {
                for (String table : tables.get(name)) {
                    assertTrue(st.executeUpdate("DELETE FROM " + table) > 0, name + " has rows in " + table);
                }
            }
            assertTrue(!before.equals(api().get("/tally/v1/projections/" + name + "/digest").assertStatus(200).json().path("Digest").asText()),
                    "the digest sees the loss of " + name);
            api().post("/tally/v1/projections/" + name + "/replay").assertStatus(200);
            assertEquals(before, api().get("/tally/v1/projections/" + name + "/digest").assertStatus(200).json().path("Digest").asText(),
                    name + " restored by a replay");
        }
        assertTrue(out("ps", "-a", "--format", "{{.Names}}").lines().toList().containsAll(List.of("d1", "d2b", "d3")));
        TallyApi.Response unknown = api().post("/tally/v1/projections/nope/replay");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().path("message").asText().contains("nope"), unknown.body());
        env.removeAllContainers();
    }

    @Test
    void commandsDuringReplaysAreNotLost() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> replays = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            try {
                while (!done.get()) {
                    for (String name : PROJECTIONS) {
                        api().post("/tally/v1/projections/" + name + "/replay").assertStatus(200);
                        n++;
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return n;
        });
        List<String> created = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                untilNotRefused("create", "--name", "busy" + i, "bb", "sh", "-c", LOOP);
                untilNotRefused("start", "busy" + i);
                untilNotRefused("rename", "busy" + i, "busy" + i + "x");
                created.add("busy" + i + "x");
            }
            untilNotRefused("rm", "-f", "busy0x");
            created.remove("busy0x");
        } finally {
            done.set(true);
        }
        assertTrue(replays.join() > 0);
        List<String> names = out("ps", "-a", "--format", "{{.Names}}").lines().toList();
        assertTrue(names.containsAll(created) && !names.contains("busy0x"), names.toString());
        for (String name : PROJECTIONS) {
            String live = api().get("/tally/v1/projections/" + name + "/digest").json().path("Digest").asText();
            api().post("/tally/v1/projections/" + name + "/replay").assertStatus(200);
            assertEquals(live, api().get("/tally/v1/projections/" + name + "/digest").json().path("Digest").asText(),
                    name + ": the rows written around the replays equal a fresh rebuild");
        }
        for (JsonNode p : api().get("/tally/v1/projections").json()) {
            assertEquals(0, p.path("Lag").asLong(), p.toString());
        }
        env.removeAllContainers();
    }

    /** During a replay a client's command is either done or refused at once with the reason, never half-done. */
    private static void untilNotRefused(String... args) throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            DockerCli.Result r = docker.run(args);
            if (r.exitCode() == 0) {
                return;
            }
            assertTrue(r.stderr().contains("is being replayed; commands are refused until it is done"), r.stderr());
            Thread.sleep(50);
        }
        throw new AssertionError("still refused: docker " + String.join(" ", args));
    }

    @Test
    void aContainerWithALongHistoryLoadsFromASnapshotAndStillBehaves() throws Exception {
        String id = out("run", "-d", "--name", "flappy", "bb", "sh", "-c", LOOP);
        for (int i = 0; i < 55; i++) {
            out("pause", "flappy");
            out("unpause", "flappy");
        }
        out("pause", "flappy");
        try (Connection c = env.db.connect();
             PreparedStatement s = c.prepareStatement("SELECT sequence_number, convert_from(payload, 'UTF8') FROM snapshot_event_entry "
                     + "WHERE aggregate_identifier = ? ORDER BY sequence_number DESC")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "a snapshot was taken");
                assertTrue(r.getLong(1) >= 99, "it covers at least 100 events (sequence 0…99): " + r.getLong(1));
                String payload = r.getString(2);
                assertTrue(payload.contains("\"name\":\"flappy\"") && payload.contains("\"status\":"), payload);
            }
        }
        // Loaded from the snapshot plus the events after it, the aggregate still knows its state.
        assertEquals("paused", out("inspect", "-f", "{{.State.Status}}", "flappy"));
        DockerCli.Result again = docker.run("pause", "flappy");
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("is already paused"), again.stderr());
        out("unpause", "flappy");
        out("rename", "flappy", "flappy2");
        out("stop", "flappy2");
        assertEquals("0", out("inspect", "-f", "{{.State.ExitCode}}", "flappy2"));
        out("start", "flappy2");
        assertEquals("running", out("inspect", "-f", "{{.State.Status}}", "flappy2"));
        out("rm", "-f", "flappy2");
        assertEquals(1, docker.run("inspect", "flappy2").exitCode());
    }
}
