package io.tally.daemon.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) for the zero-set-up mode,
 * running in this JVM. Everything lives under one directory:
 * <pre>
 *   dir/logs               the log directory, formatted on the first start
 *   dir/server.properties  the configuration of the current start
 *   dir/port               the client port, reused by later starts so clients keep their address
 * </pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaRaftServer server;
    private final int port;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * @param port the client port on 127.0.0.1; 0 reuses the one stored in dir/port if it is free,
     *             else picks a free one (and stores it)
     */
    public static EmbeddedKafkaBroker start(Path dir, int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Not a port: " + port);
        }
        dir = EmbeddedSupport.privateDirectory(dir);
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        EmbeddedSupport.ensureUnlocked(logs.resolve(".lock"), "The embedded Kafka broker"); // Kafka's lock

        int clientPort = port != 0 ? port : storedOrFreePort(dir.resolve("port"));
        writePort(dir.resolve("port"), clientPort);
        // Only this process talks to the controller, so its port need not be stable: the --standalone
        // format records the first one in the voter set, but a single voter elects itself anyway and
        // then updates its own entry (checked: restarts on a new controller port work).
        int controllerPort = EmbeddedSupport.freeLoopbackPortOtherThan(clientPort);

        Properties config = config(logs, clientPort, controllerPort);
        Path serverProperties = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(serverProperties)) {
            config.store(out, "Written by tallyd at each start of its embedded Kafka broker");
        }
        if (!Files.exists(logs.resolve("meta.properties"))) {
            format(serverProperties, logs);
        }

        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        } catch (RuntimeException e) { // bad configuration, unreadable or foreign meta.properties
            throw new IOException("Could not set up the embedded Kafka broker in " + dir + ": " + e.getMessage(), e);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, clientPort);
        try {
            server.startup();
            broker.awaitReady();
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw new IOException("Could not start the embedded Kafka broker in " + dir + " on 127.0.0.1:" + clientPort
                    + " (controller 127.0.0.1:" + controllerPort + "): " + e.getMessage(), e);
        }
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties config(Path logs, int port, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logs.toString()),
                // One node: the internal topics cannot have more replicas than that.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // No other members to wait for: a consumer group should start right away.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // The default (128 MB) kills the broker at start in a small heap.
                Map.entry("log.cleaner.dedupe.buffer.size", "16777216"),
                Map.entry("num.partitions", "1"),
                Map.entry("auto.create.topics.enable", "true")));
        return p;
    }

    /** StorageTool.main would call System.exit; execute reports through its return value or an exception. */
    private static void format(Path serverProperties, Path logs) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        String[] args = {"format", "-t", Uuid.randomUuid().toString(), "-c", serverProperties.toString(), "--standalone"};
        int exitCode;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = kafka.tools.StorageTool.execute(args, out);
        } catch (RuntimeException e) {
            throw new IOException("Could not format the Kafka log directory " + logs + ": " + e.getMessage(), e);
        }
        if (exitCode != 0) {
            throw new IOException("Could not format the Kafka log directory " + logs + " (exit code " + exitCode + "): "
                    + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"))) {
            Exception last = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000))
                            .nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while waiting for the Kafka broker on " + bootstrapServers(), e);
                }
            }
            throw new IOException("The Kafka broker on " + bootstrapServers() + " was not ready after "
                    + READY_TIMEOUT.toSeconds() + " s", last);
        }
    }

    private static int storedOrFreePort(Path file) throws IOException {
        if (Files.exists(file)) {
            String stored = Files.readString(file).strip();
            if (!stored.matches("[0-9]{1,5}")) {
                throw new IOException("Cannot read a port number from " + file + ": '" + stored + "'");
            }
            int port = Integer.parseInt(stored);
            if (EmbeddedSupport.isFreeLoopbackPort(port)) {
                return port;
            }
        }
        return EmbeddedSupport.freeLoopbackPortOtherThan(0);
    }

    private static void writePort(Path file, int port) throws IOException {
        Files.writeString(file, port + "\n");
    }

    /**
     * A standalone broker for CI and tests: {@code --dir DIR [--port PORT]}. Prints {@code READY 127.0.0.1:PORT}
     * once clients can connect, and runs until the JVM is told to stop (SIGTERM).
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("--dir")
                || !Set.of("--dir", "--port").containsAll(options.keySet())
                || !options.getOrDefault("--port", "0").matches("[0-9]{1,5}")) {
            System.err.println("usage: EmbeddedKafkaBroker --dir DIR [--port PORT]");
            System.exit(2);
        }
        EmbeddedKafkaBroker broker = start(Path.of(options.get("--dir")), Integer.parseInt(options.getOrDefault("--port", "0")));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        System.out.println("READY " + broker.bootstrapServers());
        System.out.flush();
        broker.server.awaitShutdown();
    }
}
