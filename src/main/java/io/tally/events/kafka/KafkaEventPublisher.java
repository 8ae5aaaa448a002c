package io.tally.events.kafka;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Publishes every stored event to Kafka. Each batch of the tracking processor is one Kafka
 * transaction, committed just before the processor's token moves: a batch that fails (Kafka away,
 * broker restarted mid-batch) is aborted and retried whole, so a read_committed consumer sees every
 * event, in store order per key, without gaps. An event appears twice only if Kafka committed but
 * the token update then failed; consumers dedupe by CloudEvents id.
 */
@ProcessingGroup(KafkaEventPublisher.PROCESSOR)
public class KafkaEventPublisher {
    public static final String PROCESSOR = "kafka-publisher";
    private static final Logger LOG = Logger.getLogger(KafkaEventPublisher.class);
    private static final String IN_TRANSACTION = KafkaEventPublisher.class.getName() + ".transaction";

    private final Supplier<Producer<String, byte[]>> producers;
    private final CloudEventEnvelope envelope;
    private final String topic;
    private Producer<String, byte[]> producer;

    public KafkaEventPublisher(Supplier<Producer<String, byte[]>> producers, CloudEventEnvelope envelope, String topic) {
        this.producers = producers;
        this.envelope = envelope;
        this.topic = topic;
    }

    @EventHandler
    public void publish(Object payload, EventMessage<?> event, TrackingToken token) {
        Producer<String, byte[]> p = transactionFor(CurrentUnitOfWork.get().root());
        String key = event instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : event.getIdentifier();
        long globalIndex = token.position().orElse(-1);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, envelope.toJson(event, globalIndex));
        record.headers().add("content-type", CloudEventEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        p.send(record);
    }

    /** Begins the batch's Kafka transaction on first use; it commits with the unit of work or is aborted with it. */
    private Producer<String, byte[]> transactionFor(UnitOfWork<?> uow) {
        return uow.getOrComputeResource(IN_TRANSACTION, k -> {
            Producer<String, byte[]> p = producer();
            try {
                p.beginTransaction();
            } catch (RuntimeException e) {
                discard(e);
                throw e;
            }
            uow.onPrepareCommit(u -> {
                try {
                    p.commitTransaction();
                } catch (RuntimeException e) {
                    discard(e);
                    throw e;
                }
            });
            uow.onRollback(u -> discard(u.getExecutionResult() == null ? null : u.getExecutionResult().getExceptionResult()));
            return p;
        });
    }

    /**
     * A fresh producer per failure: its initTransactions fences the previous incarnation and aborts
     * whatever that one left open, which is simpler and safer than recovering a producer's state.
     */
    private Producer<String, byte[]> producer() {
        if (producer == null) {
            Producer<String, byte[]> p = producers.get();
            try {
                p.initTransactions();
            } catch (RuntimeException e) {
                p.close(java.time.Duration.ZERO);
                throw e;
            }
            producer = p;
        }
        return producer;
    }

    private void discard(Throwable cause) {
        if (producer != null) {
            LOG.debugf("discarding the Kafka producer after %s", cause == null ? "a rollback" : cause.toString());
            try {
                producer.close(java.time.Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("closing the producer: %s", e.getMessage());
            }
            producer = null;
        }
    }

    /** Called at shutdown, after the processor has stopped. */
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
