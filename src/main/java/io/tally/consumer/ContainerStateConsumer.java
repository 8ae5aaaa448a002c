package io.tally.consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.state.ContainerState;
import io.tally.events.EventSourcing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Rebuilds every container's current state from Kafka alone: reads {@code PREFIX.events} from the
 * beginning to its end as of the start (read_committed: only events of committed publication
 * batches), folds them with {@link ContainerStateFold} and prints one JSON line per container.
 * Runnable on its own: {@code bin/tally-consume-states --bootstrap HOST:PORT [--topic tally.events]}.
 */
public final class ContainerStateConsumer {
    private static final ObjectMapper JSON = EventSourcing.eventMapper();

    private ContainerStateConsumer() {
    }

    public static void main(String[] args) throws IOException {
        String bootstrap = "127.0.0.1:9092";
        String topic = "tally.events";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--topic" -> topic = args[++i];
                default -> {
                    System.err.println("usage: tally-consume-states [--bootstrap HOST:PORT] [--topic PREFIX.events]");
                    System.exit(2);
                }
            }
        }
        for (ContainerState s : readAll(bootstrap, topic).values()) {
            System.out.println(JSON.writeValueAsString(s));
        }
    }

    /** Every container ever created (removed ones with state {@code removed}), by id, in creation order. */
    public static Map<String, ContainerState> readAll(String bootstrap, String topic) {
        ContainerStateFold fold = new ContainerStateFold();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties(bootstrap))) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                return fold.states(); // nothing was ever published
            }
            List<TopicPartition> all = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(all);
            consumer.seekToBeginning(all);
            // For a read_committed consumer these are the last stable offsets: the end of what is committed now.
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            while (all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    fold.accept(JSON.readTree(r.value()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable message on " + topic + ": " + e.getMessage(), e);
        }
        return fold.states();
    }

    private static Properties properties(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-consume-states");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }
}
