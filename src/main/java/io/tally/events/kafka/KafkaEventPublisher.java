package io.tally.events.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes every stored event to Kafka. Sends of one batch go out together; the batch commits
 * (and the processor's token moves) only after Kafka acknowledged all of them, so a Kafka outage
 * makes the processor retry the batch later: nothing is lost, order per key is kept, and a
 * consumer may see an event twice (it dedupes by CloudEvents id).
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSOR)
public class KafkaEventPublisher {
    public static final String PROCESSOR = "kafka-publisher";
    private static final String PENDING = KafkaEventPublisher.class.getName() + ".pending";

    private final Producer<String, byte[]> producer;
    private final CloudEventEnvelope envelope;
    private final String topic;

    public KafkaEventPublisher(Producer<String, byte[]> producer, CloudEventEnvelope envelope, String topic) {
        this.producer = producer;
        this.envelope = envelope;
        this.topic = topic;
    }

    @EventHandler
    public void publish(Object payload, EventMessage<?> event, TrackingToken token) {
        String key = event instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : event.getIdentifier();
        long globalIndex = token.position().orElse(-1);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, envelope.toJson(event, globalIndex));
        record.headers().add("content-type", CloudEventEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        pendingSends().add(producer.send(record));
    }

    private List<Future<RecordMetadata>> pendingSends() {
        UnitOfWork<?> uow = CurrentUnitOfWork.get();
        return uow.root().getOrComputeResource(PENDING, k -> {
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            uow.root().onPrepareCommit(u -> awaitAcknowledgements(pending));
            return pending;
        });
    }

    private static void awaitAcknowledgements(List<Future<RecordMetadata>> pending) {
        for (Future<RecordMetadata> send : pending) {
            try {
                send.get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaUnavailableException("interrupted while waiting for Kafka", e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new KafkaUnavailableException("Kafka did not acknowledge an event: " + cause, cause);
            }
        }
    }

    /** The batch is not published; the processor retries it with back-off. */
    static final class KafkaUnavailableException extends RuntimeException {
        KafkaUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
