package io.tally.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the broker away, events are stored and tallyd keeps serving; when it returns, every event arrives in order. */
class KafkaOutageIT {
    @TempDir
    Path tmp;

    @Test
    void eventsStoredDuringAnOutageArriveAfterwardsInOrder() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(); KafkaBrokerProcess kafka = KafkaBrokerProcess.start(tmp.resolve("kafka"))) {
            Path socket = tmp.resolve("t.sock");
            String[] args = {"--data-root", tmp.resolve("root").toString(), "--db-url", db.url(), "--kafka-bootstrap", kafka.bootstrap()};

            TallyProcess tally = TallyProcess.start(socket, tmp.resolve("1.log"), args);
            awaitOnTopic(kafka, db, Duration.ofSeconds(60));

            kafka.stop();
            // Each restart stores EngineStopped and EngineStarted while Kafka is unreachable.
            tally.stop();
            tally = TallyProcess.start(socket, tmp.resolve("2.log"), args);
            tally.stop();
            tally = TallyProcess.start(socket, tmp.resolve("3.log"), args);
            assertTrue(TallyProcess.ping(socket), "tallyd serves while Kafka is down");
            DockerCli docker = new DockerCli(socket, tmp);
            docker.run("version").assertOk();

            kafka.start();
            try {
                List<String> expected = storedIds(db);
                assertEquals(5, expected.size(), "three starts and two stops");
                List<TopicReader.Message> got = awaitOnTopic(kafka, db, Duration.ofSeconds(150));
                // At least once: a retried batch may repeat events, but after dedup the order per key is the stored order.
                Set<String> firstSeen = new LinkedHashSet<>();
                got.forEach(m -> firstSeen.add(m.value().path("id").asText()));
                assertEquals(expected, new ArrayList<>(firstSeen));
            } finally {
                tally.stop();
            }
        }
    }

    private static List<String> storedIds(ScratchDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            return StoredEvents.all(c).stream().map(StoredEvents.Row::eventId).toList();
        }
    }

    private static List<TopicReader.Message> awaitOnTopic(KafkaBrokerProcess kafka, ScratchDatabase db, Duration timeout) throws Exception {
        List<String> ids = storedIds(db);
        List<TopicReader.Message> got = TopicReader.readUntil(kafka.bootstrap(), "tally.events", timeout,
                m -> m.stream().map(x -> x.value().path("id").asText()).toList().containsAll(ids));
        assertTrue(got.stream().map(x -> x.value().path("id").asText()).toList().containsAll(ids),
                "not every stored event reached Kafka: stored " + ids + ", got " + TopicReader.types(got));
        return got;
    }
}
