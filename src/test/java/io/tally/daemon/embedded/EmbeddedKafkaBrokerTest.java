package io.tally.daemon.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(300)
class EmbeddedKafkaBrokerTest {

    @TempDir
    Path tmp;

    @Test
    void keepsRecordsAndPortAcrossRestarts() throws Exception {
        Path dir = tmp.resolve("kafka");
        String bootstrap;

        long t0 = System.nanoTime();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            System.out.printf("embedded kafka first start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            bootstrap = broker.bootstrapServers();
            assertTrue(bootstrap.matches("127\\.0\\.0\\.1:\\d+"), bootstrap);
            assertEquals(String.valueOf(broker.port()), Files.readString(dir.resolve("port")).strip());
            createTopic(bootstrap, "events");
            produce(bootstrap, "events", "first");
            assertEquals(List.of("first"), consumeAll(bootstrap, "events", 1));

            IOException e = assertThrows(IOException.class, () -> EmbeddedKafkaBroker.start(dir, 0));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertEquals(String.valueOf(broker.port()), Files.readString(dir.resolve("port")).strip(),
                    "a refused second start leaves the running broker's port alone");
        }

        long t1 = System.nanoTime();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        try {
            System.out.printf("embedded kafka restart: %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            assertEquals(bootstrap, broker.bootstrapServers(), "the stored port is reused");
            produce(bootstrap, "events", "second");
            assertEquals(List.of("first", "second"), consumeAll(bootstrap, "events", 2));
        } finally {
            broker.close();
        }
        broker.close(); // idempotent
    }

    @Test
    void movesToAnotherPortWhenTheStoredOneIsTaken() throws Exception {
        Path dir = tmp.resolve("kafka");
        int firstPort;
        int firstControllerPort;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            firstPort = broker.port();
            firstControllerPort = controllerPort(dir);
            createTopic(broker.bootstrapServers(), "events");
            produce(broker.bootstrapServers(), "events", "before");
        }
        try (ServerSocket takenClient = new ServerSocket(firstPort, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket takenController = new ServerSocket(firstControllerPort, 1, InetAddress.getByName("127.0.0.1"));
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0)) {
            assertNotEquals(firstPort, broker.port());
            assertNotEquals(firstControllerPort, controllerPort(dir), "the voter set still names the first one");
            assertEquals(String.valueOf(broker.port()), Files.readString(dir.resolve("port")).strip());
            produce(broker.bootstrapServers(), "events", "after");
            assertEquals(List.of("before", "after"), consumeAll(broker.bootstrapServers(), "events", 2));

            // An explicit port is not negotiable.
            IOException e = assertThrows(IOException.class, () -> EmbeddedKafkaBroker.start(tmp.resolve("other"), firstPort));
            assertTrue(e.getMessage().contains("127.0.0.1:" + firstPort), e.getMessage());
        }
    }

    @Test
    void standaloneBrokerSurvivesAnOutage() throws Exception {
        Path dir = tmp.resolve("kafka");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        String[] args = {"--dir", dir.toString(), "--port", String.valueOf(port)};
        String bootstrap = "127.0.0.1:" + port;

        Process first = startStandalone(args);
        try {
            assertEquals("READY " + bootstrap, EmbeddedPostgresTest.awaitLine(first, "READY"));
            createTopic(bootstrap, "events");
            produce(bootstrap, "events", "before the outage");
        } finally {
            first.destroyForcibly(); // a crash, not a clean stop
            first.waitFor(30, TimeUnit.SECONDS);
        }

        Process second = startStandalone(args);
        try {
            assertEquals("READY " + bootstrap, EmbeddedPostgresTest.awaitLine(second, "READY"));
            produce(bootstrap, "events", "after the outage");
            assertEquals(List.of("before the outage", "after the outage"), consumeAll(bootstrap, "events", 2));
        } finally {
            second.destroy(); // SIGTERM: the shutdown hook stops the broker cleanly
            if (!second.waitFor(60, TimeUnit.SECONDS)) {
                second.destroyForcibly();
            }
        }
        assertEquals(143, second.exitValue(), "stopped by SIGTERM through the shutdown hook");
    }

    private static int controllerPort(Path dir) throws Exception {
        Properties config = new Properties();
        try (var in = Files.newInputStream(dir.resolve("server.properties"))) {
            config.load(in);
        }
        String servers = config.getProperty("controller.quorum.bootstrap.servers");
        return Integer.parseInt(servers.substring(servers.lastIndexOf(':') + 1));
    }

    private Process startStandalone(String... args) throws Exception {
        return new ProcessBuilder(EmbeddedPostgresTest.javaCommand(tmp, EmbeddedKafkaBroker.class, args))
                .redirectErrorStream(true).start();
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(String bootstrap, String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consumeAll(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
