package io.tally.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `--log-driver kafka`: every line reaches the topic in order; with the broker away the container runs on and `docker logs` has it all. */
class KafkaLogDriverIT {
    @TempDir
    Path tmp;

    @Test
    void linesReachTheTopicInOrderAndSurviveAnOutage() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create(); KafkaBrokerProcess kafka = KafkaBrokerProcess.start(tmp.resolve("kafka"))) {
            Path socket = tmp.resolve("t.sock");
            TallyProcess tally = TallyProcess.start(socket, tmp.resolve("tally.log"), "--data-root", tmp.resolve("root").toString(),
                    "--db-url", db.url(), "--kafka-bootstrap", kafka.bootstrap(), "--kafka-topic-prefix", "kl");
            DockerCli docker = new DockerCli(socket, tmp);
            try {
                BusyboxImage.loadInto(docker);
                DockerCli.Result bogus = docker.run("run", "-d", "--log-driver", "syslog", "bb", "true");
                assertEquals(125, bogus.exitCode());
                assertTrue(bogus.stderr().contains("logging driver \"syslog\" is not supported"), bogus.stderr());

                String id = docker.run("run", "-d", "--name", "chatty", "--log-driver", "kafka", "bb", "sh", "-c",
                        "i=1; while true; do echo line-$i; i=$((i+1)); sleep 0.05; done").assertOk().stdout().trim();
                // writes a burst on cue, so much that rotation drops files the shipper has not reached
                String rotating = docker.run("run", "-d", "--name", "rotating", "--log-driver", "kafka", "--log-opt", "max-size=1k",
                        "--log-opt", "max-file=2", "bb", "sh", "-c",
                        "echo first; while [ ! -e /go ]; do sleep 0.1; done; i=1; while [ $i -le 300 ]; do echo burst-$i; i=$((i+1)); done; sleep 1000")
                        .assertOk().stdout().trim();
                assertEquals(List.of("first"), shipped(kafka, rotating, "first").stream().map(m -> m.path("line").asText()).toList());
                List<String> before = shippedLines(kafka, id, "line-20");
                assertEquals(expected(before.size()), before, "the first lines, in order");

                kafka.stop();
                docker.run("exec", "rotating", "touch", "/go").assertOk();
                Thread.sleep(4000);
                assertEquals("running", docker.run("inspect", "-f", "{{.State.Status}}", "chatty").assertOk().stdout().trim(),
                        "the container does not wait for Kafka");
                List<String> logged = docker.run("logs", "chatty").assertOk().stdout().lines().toList();
                assertEquals(expected(logged.size()), logged, "docker logs has every line");
                assertTrue(logged.size() > before.size() + 20, "the container went on writing while the broker was away");

                kafka.start();
                String last = logged.getLast();
                List<String> after = shippedLines(kafka, id, last);
                assertTrue(after.size() >= logged.size(), "every line written during the outage was shipped after it");
                assertEquals(expected(after.size()), after, "in order, each once after dropping repeats by seq");
                List<String> kept = docker.run("logs", "rotating").assertOk().stdout().lines().toList();
                assertEquals("burst-300", kept.getLast());
                assertTrue(!kept.contains("burst-1"), "rotation dropped the burst's first lines: " + kept.size());
                List<com.fasterxml.jackson.databind.JsonNode> rotated = shipped(kafka, rotating, "burst-300");
                assertTrue(rotated.get(1).path("afterGap").asBoolean(), "the first line after the loss says so: " + rotated.get(1));
                assertEquals(kept, rotated.subList(1, rotated.size()).stream().map(m -> m.path("line").asText()).toList(),
                        "after the gap, every line the files still hold, in order");
                docker.run("rm", "-f", "chatty", "rotating").assertOk();
            } finally {
                docker.removeAllContainers();
                tally.stop();
            }
        }
    }

    /** The container's lines on kl.logs until {@code until} is among them, repeats (same seq) dropped. */
    private static List<String> shippedLines(KafkaBrokerProcess kafka, String containerId, String until) {
        List<TopicReader.Message> got = TopicReader.readUntil(kafka.bootstrap(), "kl.logs", Duration.ofSeconds(120),
                m -> m.stream().anyMatch(x -> x.value().path("line").asText().equals(until)));
        List<String> lines = new ArrayList<>();
        long highest = 0;
        for (TopicReader.Message m : got) {
            if (!containerId.equals(m.key())) {
                continue;
            }
            assertEquals("stdout", m.value().path("stream").asText());
            long seq = m.value().path("seq").asLong();
            if (seq > highest) {
                assertEquals(highest + 1, seq, "no line is skipped");
                highest = seq;
                lines.add(m.value().path("line").asText());
            }
        }
        assertTrue(lines.contains(until), "never saw " + until + " on the topic");
        return lines;
    }

    /** One container's records on kl.logs until {@code until} is among them, repeats dropped, seq checked contiguous. */
    private static List<com.fasterxml.jackson.databind.JsonNode> shipped(KafkaBrokerProcess kafka, String containerId, String until) {
        List<TopicReader.Message> got = TopicReader.readUntil(kafka.bootstrap(), "kl.logs", Duration.ofSeconds(120),
                m -> m.stream().anyMatch(x -> containerId.equals(x.key()) && x.value().path("line").asText().equals(until)));
        List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
        long highest = 0;
        for (TopicReader.Message m : got) {
            long seq = m.value().path("seq").asLong();
            if (containerId.equals(m.key()) && seq > highest) {
                assertEquals(highest + 1, seq, "seq counts shipped lines without holes");
                highest = seq;
                records.add(m.value());
            }
        }
        return records;
    }

    private static List<String> expected(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "line-" + i).toList();
    }
}
