package io.tally.logs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.tally.container.ContainerJson;
import io.tally.container.create.LogDriver;
import io.tally.container.query.ContainerView;
import io.tally.daemon.TallyConfig;
import io.tally.events.DomainException;
import io.tally.events.kafka.ProducerSettings;
import io.tally.runtime.ContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The Kafka log driver. One loop ships the logs of every container whose driver is {@code kafka}, from
 * the shim's files, which are the buffer: a slow or absent broker delays shipping, never the container,
 * and tallyd holds at most one batch per container in memory. Cursors under
 * {@code DATA_ROOT/log-shipping} let shipping resume after a restart where it stopped (at least once).
 */
@ApplicationScoped
public class KafkaLogShipper {
    private static final Logger LOG = Logger.getLogger(KafkaLogShipper.class);
    private static final Duration IDLE = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    @Inject TallyConfig config;
    @Inject ContainerRuntime runtime;

    private final Map<String, ContainerLogShipment> shipments = new HashMap<>();
    private volatile boolean running;
    private long refreshedAt;
    private Thread loop;
    private Producer<String, byte[]> producer;
    private Path cursors;

    public void start() throws IOException {
        if (!config.kafka().enabled()) {
            return;
        }
        cursors = Files.createDirectories(config.dataRoot().resolve("log-shipping"));
        running = true;
        loop = Thread.ofPlatform().daemon().name("tally-kafka-log-driver").start(this::run);
    }

    public void stop() throws InterruptedException {
        running = false;
        if (loop != null) {
            loop.interrupt();
            loop.join(5_000);
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
        }
    }

    /** The default topic: {@code PREFIX.logs} ({@code tally.logs} unless --kafka-topic-prefix says otherwise). */
    public String defaultTopic() {
        return config.kafka().topicPrefix() + ".logs";
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        while (running) {
            boolean busy = false;
            try {
                busy = shipAll();
                backoff = Duration.ZERO;
            } catch (IOException e) {
                discardProducer();
                backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                LOG.warnf("Kafka log driver: %s; retrying in %d s (the lines stay in the container's log file)",
                        e.getMessage(), backoff.toSeconds());
            } catch (RuntimeException e) {
                discardProducer();
                backoff = MAX_BACKOFF;
                LOG.errorf(e, "Kafka log driver failed; retrying in %d s", backoff.toSeconds());
            }
            if (!busy) {
                sleep(backoff.isZero() ? IDLE : backoff);
            }
        }
    }

    /** @return whether any container had lines to ship */
    private boolean shipAll() throws IOException {
        refreshShipments();
        if (shipments.isEmpty()) {
            return false;
        }
        Producer<String, byte[]> p = producer();
        boolean busy = false;
        for (ContainerLogShipment s : shipments.values()) {
            busy |= s.shipOnce(p);
        }
        return busy;
    }

    /**
     * Each batch is a Kafka transaction: a batch that failed half-way is aborted, never half-visible, so a
     * read_committed consumer sees every container's lines exactly in seq order (a retried batch may repeat).
     * The producer is made anew after any failure; its initialisation aborts what the old one left open.
     */
    private Producer<String, byte[]> producer() throws IOException {
        if (producer == null) {
            Producer<String, byte[]> p = new KafkaProducer<>(producerProperties(config.kafka().bootstrap().orElseThrow(), config.engineId()));
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(Duration.ZERO);
                throw new IOException("Kafka is not reachable for the log driver: " + e.getMessage(), e);
            }
            producer = p;
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    /** The set of containers changes rarely; the read model is asked once a second, not every turn. */
    private void refreshShipments() {
        if (System.nanoTime() - refreshedAt < 1_000_000_000L && refreshedAt != 0) {
            return;
        }
        refreshedAt = System.nanoTime();
        // only containers whose HostConfig mentions kafka at all can have the driver; parsing decides
        List<ContainerView> views = QuarkusTransaction.requiringNew().call(() ->
                ContainerView.<ContainerView>list("hostConfig like ?1", "%kafka%"));
        Set<String> present = new HashSet<>();
        for (ContainerView v : views) {
            LogDriver driver;
            try {
                driver = LogDriver.of(ContainerJson.map(v.hostConfig));
            } catch (DomainException e) {
                continue;
            }
            if (!driver.shipsToKafka()) {
                continue;
            }
            present.add(v.id);
            shipments.computeIfAbsent(v.id, id -> new ContainerLogShipment(id, v.name, runtime.logFile(id),
                    cursors.resolve(id), driver.topic(defaultTopic())));
        }
        shipments.keySet().retainAll(present);
        forgetCursorsOfRemovedContainers(present);
    }

    private void forgetCursorsOfRemovedContainers(Set<String> present) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cursors)) {
            for (Path f : files) {
                if (!present.contains(f.getFileName().toString().replace(".tmp", ""))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.debugf("cleaning log cursors: %s", e.getMessage());
        }
    }

    static Properties producerProperties(String bootstrap, String engineId) {
        Properties p = ProducerSettings.reliable(bootstrap, "tallyd-logs-" + engineId);
        // one transactional id per engine: a restarted tallyd fences its previous incarnation's producer
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tally-logs-" + engineId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // A batch is at most BATCH_BYTES of log; the producer's own buffer is bounded too.
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 8L * 1024 * 1024);
        // Give up on a batch within seconds when Kafka is away: the loop backs off and retries from the cursor.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        return p;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
