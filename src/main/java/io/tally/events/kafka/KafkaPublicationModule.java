package io.tally.events.kafka;

import io.tally.daemon.TallyConfig;
import io.tally.events.AxonModule;
import io.tally.events.EventSourcing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.lifecycle.Phase;
import org.jboss.logging.Logger;

import java.util.Properties;

/**
 * Registers the tracking processor that publishes the event store to Kafka. It starts from the
 * first event ever stored and then resumes from its token (token_entry) after every restart.
 */
@ApplicationScoped
class KafkaPublicationModule implements AxonModule {
    private static final Logger LOG = Logger.getLogger(KafkaPublicationModule.class);

    @Inject TallyConfig config;

    @Override
    public void configure(Configurer configurer) {
        if (!config.kafka().enabled()) {
            LOG.warn("Kafka publication is off (--kafka=off): events are stored but not published");
            return;
        }
        Properties props = producerProperties(config.kafka().bootstrap().orElseThrow(), config.engineId());
        KafkaEventPublisher publisher = new KafkaEventPublisher(() -> new KafkaProducer<>(props),
                new CloudEventEnvelope(EventSourcing.eventMapper(), config.engineId()), config.kafka().eventsTopic());
        configurer.eventProcessing(ep -> ep
                .registerTrackingEventProcessor(KafkaEventPublisher.PROCESSOR, c -> c.eventStore(),
                        c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                .andBatchSize(100)
                                .andInitialTrackingToken(StreamableMessageSource::createTailToken))
                .registerEventHandler(c -> publisher)
                .registerListenerInvocationErrorHandler(KafkaEventPublisher.PROCESSOR, c -> PropagatingErrorHandler.instance()));
        // Axon shuts down from the highest phase: the processor stops before the producer closes.
        configurer.onShutdown(Phase.OUTBOUND_EVENT_CONNECTORS, publisher::close);
    }

    static Properties producerProperties(String bootstrap, String engineId) {
        Properties p = ProducerSettings.reliable(bootstrap, "tallyd-" + engineId);
        // One transactional id per engine: a restarted tallyd fences its previous incarnation.
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tally-publisher-" + engineId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Fail a batch within seconds when Kafka is away, so the processor's back-off takes over.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        return p;
    }
}
