package io.tally.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Zero set-up: only --data-root and -H; tallyd brings its own PostgreSQL and Kafka and reuses them. */
class EmbeddedModeIT {
    @TempDir
    Path tmp;

    @Test
    void embeddedServicesStoreAndPublishAndAreReusedAfterRestart() throws Exception {
        Path root = tmp.resolve("root");
        Path socket = tmp.resolve("t.sock");

        TallyProcess first = TallyProcess.start(socket, tmp.resolve("1.log"), "--data-root", root.toString());
        String kafka = "127.0.0.1:" + Files.readString(root.resolve("kafka/port")).trim();
        List<String> afterFirst;
        try (Connection c = embeddedDatabase(root)) {
            afterFirst = StoredEvents.types(c);
            assertEquals(List.of("EngineStarted"), afterFirst);
            assertTrue(StoredEvents.all(c).get(0).payload().contains("\"database\":\"embedded jdbc:postgresql://127.0.0.1:"));
            try (var rs = c.createStatement().executeQuery("SHOW fsync")) {
                rs.next();
                assertEquals("on", rs.getString(1));
            }
        }
        awaitTypes(kafka, List.of("io.tally.engine.started"));
        first.stop();
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(root.resolve("postgres").toString())),
                "embedded PostgreSQL stopped with tallyd");

        TallyProcess second = TallyProcess.start(socket, tmp.resolve("2.log"), "--data-root", root.toString());
        try {
            assertEquals(kafka, "127.0.0.1:" + Files.readString(root.resolve("kafka/port")).trim(), "same broker address");
            try (Connection c = embeddedDatabase(root)) {
                assertEquals(List.of("EngineStarted", "EngineStopped", "EngineStarted"), StoredEvents.types(c));
                assertEquals(1, StoredEvents.all(c).stream().map(StoredEvents.Row::aggregateId).distinct().count());
            }
            awaitTypes(kafka, List.of("io.tally.engine.started", "io.tally.engine.stopped", "io.tally.engine.started"));
        } finally {
            second.stop();
        }
    }

    @Test
    void killMinus9LeavesNothingThatBlocksTheNextStart() throws Exception {
        Path root = tmp.resolve("root");
        Path socket = tmp.resolve("t.sock");
        TallyProcess first = TallyProcess.start(socket, tmp.resolve("1.log"), "--data-root", root.toString(), "--kafka=off");
        first.kill();
        TallyProcess second = TallyProcess.start(socket, tmp.resolve("2.log"), "--data-root", root.toString(), "--kafka=off");
        try (Connection c = embeddedDatabase(root)) {
            assertEquals(List.of("EngineStarted", "EngineCrashDetected", "EngineStarted"), StoredEvents.types(c));
        } finally {
            second.stop();
        }
    }

    private static Connection embeddedDatabase(Path root) throws Exception {
        List<String> pid = Files.readAllLines(root.resolve("postgres/data/postmaster.pid"));
        String password = Files.readString(root.resolve("postgres/password")).trim();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pid.get(3).trim() + "/tally", "postgres", password);
    }

    private static void awaitTypes(String bootstrap, List<String> types) {
        List<TopicReader.Message> got = TopicReader.readUntil(bootstrap, "tally.events", Duration.ofSeconds(90),
                m -> TopicReader.types(m).equals(types));
        assertEquals(types, TopicReader.types(got));
    }
}
