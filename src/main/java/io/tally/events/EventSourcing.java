package io.tally.events;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Axon, wired by hand (no Spring): a JDBC event store on PostgreSQL with the snake_case schema
 * that Flyway owns (migrations/), Jackson-serialized events, and JTA transactions.
 */
@ApplicationScoped
public class EventSourcing {
    static {
        // Axon contacts its vendor at start and writes under ~/.axoniq; a daemon must never phone home.
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        // The store keeps event times to the millisecond (Axon's format): live handlers must see the
        // same instant a replay reads back, or replayed read models would differ from live ones.
        GenericEventMessage.clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    @Inject DataSource dataSource;
    @Inject jakarta.transaction.TransactionManager jta;
    @Inject @Any Instance<AxonModule> modules;

    private volatile Configuration axon;

    /** Builds Axon and starts its processors (boot phase 1). */
    public void start() {
        TransactionManager tx = new JtaTransactionManager(jta);
        JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(eventMapper()).build();
        DataSourceConnectionProvider connections = new DataSourceConnectionProvider(dataSource);

        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureCommandBus(c -> {
                    SimpleCommandBus bus = SimpleCommandBus.builder()
                            .transactionManager(tx)
                            .messageMonitor(c.messageMonitor(CommandBus.class, "commandBus"))
                            .build();
                    // A hand-built bus must copy command metadata (the actor) onto events itself.
                    bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(c.correlationDataProviders()));
                    return bus;
                })
                .configureTransactionManager(c -> tx)
                // Events inherit the actor (and Axon's correlation ids) of the command that caused them.
                .configureCorrelationDataProviders(c -> List.of(new MessageOriginProvider(),
                        new SimpleCorrelationDataProvider(Actor.METADATA_KEY)))
                .configureEmbeddedEventStore(c -> JdbcEventStorageEngine.builder()
                        .connectionProvider(connections)
                        .transactionManager(tx)
                        .eventSerializer(serializer)
                        .snapshotSerializer(JacksonSerializer.builder().objectMapper(snapshotMapper()).build())
                        .schema(eventSchema())
                        .dataType(byte[].class)
                        .build());
        configurer.eventProcessing(ep -> ep.registerTokenStore(c -> JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .schema(tokenSchema())
                .contentType(byte[].class)
                .build()));
        modules.forEach(m -> m.configure(configurer));
        axon = configurer.buildConfiguration();
        axon.start();
    }

    public void stop() {
        Configuration c = axon;
        if (c != null) {
            c.shutdown();
        }
    }

    @Produces
    CommandGateway commandGateway() {
        return configuration().commandGateway();
    }

    @Produces
    EventStore eventStore() {
        return configuration().eventStore();
    }

    public Configuration configuration() {
        if (axon == null) {
            throw new IllegalStateException("event sourcing is not started yet");
        }
        return axon;
    }

    /** The mapper for stored events: tolerant of fields added later, ISO timestamps. */
    public static ObjectMapper eventMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * Snapshots are aggregates, whose state lives in private fields (no getters by design): the
     * snapshot mapper reads and writes fields only.
     */
    public static ObjectMapper snapshotMapper() {
        return eventMapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    }

    public static EventSchema eventSchema() {
        return EventSchema.builder()
                .eventTable("domain_event_entry")
                .snapshotTable("snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    static TokenSchema tokenSchema() {
        return TokenSchema.builder()
                .setTokenTable("token_entry")
                .setProcessorNameColumn("processor_name")
                .setSegmentColumn("segment")
                .setTokenColumn("token")
                .setTokenTypeColumn("token_type")
                .setTimestampColumn("timestamp")
                .setOwnerColumn("owner")
                .build();
    }
}
