package io.tally.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.StartContainer;
import io.tally.events.EventSourcing;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.charset.StandardCharsets;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * bin/bench-history's Java half. {@code generate JDBC_URL EVENTS}: appends container histories to the
 * event store in bulk (COPY into domain_event_entry), each event serialized exactly as Axon's
 * JacksonSerializer stores it (same mapper, payload type, ISO millisecond time). {@code read JDBC_URL
 * SAMPLES}: loads random containers' event streams through Axon's JdbcEventStorageEngine (what an
 * aggregate load or a history answer reads) and prints the latencies in microseconds.
 */
public final class HistoryBench {
    private static final ObjectMapper JSON = EventSourcing.eventMapper();
    private static final int CONCURRENT = 100;      // containers whose events interleave
    private static final int RESTART_CYCLES = 32;   // died, restart_scheduled, started: a restart loop
    private static final byte[] META = "{\"actor\":{\"transport\":\"internal\",\"userAgent\":\"bench-history\"}}".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(args[1], Long.parseLong(args[2]));
            case "read" -> read(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("generate URL EVENTS | read URL SAMPLES");
        }
    }

    /** One container's events, in order: create, start, restart loop, died, and for every other one removal. */
    private static List<Object> lifeOf(String id, int n) {
        List<Object> events = new ArrayList<>();
        events.add(new ContainerCreated(id, "bench-" + n, "bb", "sha256:" + "b".repeat(64),
                Map.of("Cmd", List.of("sh", "-c", "exit 1"), "Image", "bb", "Labels", Map.of("bench", "history")),
                Map.of("RestartPolicy", Map.of("Name", "on-failure")), List.of("/var/lib/tally/layers/bench")));
        events.add(new ContainerStarted(id, 1000 + n, StartContainer.USER, 0));
        for (int i = 1; i <= RESTART_CYCLES; i++) {
            events.add(new ContainerDied(id, 1000 + n, 1, 0, false, Instant.EPOCH, null));
            events.add(new ContainerRestartScheduled(id, i, 100L << Math.min(i, 10)));
            events.add(new ContainerStarted(id, 1000 + n + i, StartContainer.POLICY, i));
        }
        events.add(new ContainerDied(id, 1000 + n, 1, 0, false, Instant.EPOCH, null));
        if (n % 2 == 0) {
            events.add(new ContainerRemoved(id));
        }
        return events;
    }

    private static void generate(String url, long total) throws Exception {
        long t0 = System.nanoTime();
        Instant base = Instant.now().minusMillis(total + 60_000);
        long written = 0;
        int containers = 0;
        try (Connection c = DriverManager.getConnection(url, "postgres", System.getenv().getOrDefault("PGPASSWORD", ""))) {
            while (written < total) {
                List<String> ids = new ArrayList<>();
                List<List<Object>> lives = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    String id = (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", ""); // 64 hex digits, like a container id
                    ids.add(id);
                    lives.add(lifeOf(id, containers++));
                }
                StringBuilder rows = new StringBuilder();
                int[] next = new int[CONCURRENT];
                boolean more = true;
                while (more && written < total) {
                    more = false;
                    for (int i = 0; i < CONCURRENT && written < total; i++) {
                        if (next[i] < lives.get(i).size()) {
                            Object event = lives.get(i).get(next[i]);
                            Instant at = base.plusMillis(written);
                            if (event instanceof ContainerDied d) {
                                event = new ContainerDied(d.containerId(), d.pid(), d.exitCode(), d.signal(), d.oomKilled(), at, d.error());
                            }
                            row(rows, ids.get(i), next[i]++, event, at);
                            written++;
                            more = true;
                        }
                    }
                }
                copy(c, rows.toString());
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("generated %d events for %d containers in %d ms (%d events/s)%n", written, containers, ms, written * 1000 / Math.max(1, ms));
    }

    private static void row(StringBuilder out, String aggregateId, long sequence, Object event, Instant at) throws Exception {
        out.append(aggregateId).append('\t').append(sequence).append("\tContainer\t").append(UUID.randomUUID()).append('\t')
                .append(bytea(META)).append('\t').append(bytea(JSON.writeValueAsBytes(event))).append("\t\\N\t")
                .append(event.getClass().getName()).append('\t').append(DateTimeUtils.formatInstant(at)).append('\n');
    }

    private static String bytea(byte[] b) {
        return "\\\\x" + HexFormat.of().formatHex(b);
    }

    private static void copy(Connection c, String rows) throws Exception {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY domain_event_entry (aggregate_identifier, sequence_number, type, "
                + "event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp) FROM STDIN");
        byte[] bytes = rows.getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        in.endCopy();
    }

    private static void read(String url, int samples) throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser("postgres");
        ds.setPassword(System.getenv().getOrDefault("PGPASSWORD", ""));
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(JSON).build();
        // One connection kept open (as tallyd's pool does): the engine closes what it gets, so hand it a view that cannot be closed.
        Connection shared = ds.getConnection();
        Connection unclosable = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, margs) -> method.getName().equals("close") ? null : method.invoke(shared, margs));
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder().connectionProvider(() -> unclosable)
                .transactionManager(NoTransactionManager.INSTANCE).eventSerializer(serializer).snapshotSerializer(serializer)
                .schema(EventSourcing.eventSchema()).dataType(byte[].class).build();
        List<String> ids = new ArrayList<>();
        try (Connection c = ds.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT container_id FROM container_timeline_spec ORDER BY container_id")) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        Random random = new Random(42);
        for (int i = 0; i < samples + 5; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            long t0 = System.nanoTime();
            DomainEventStream stream = engine.readEvents(id);
            long n = 0;
            while (stream.hasNext()) {
                DomainEventMessage<?> m = stream.next();
                m.getPayload();
                n++;
            }
            long us = (System.nanoTime() - t0) / 1000;
            if (i >= 5) { // the first reads warm the JIT and the connection
                System.out.println(us + " " + n);
            }
        }
    }
}
