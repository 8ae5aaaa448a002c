package io.tally.history.docker;

import io.tally.container.api.ContainerRemoved;
import io.tally.events.EventSourcing;
import io.tally.history.EventStoreReader;
import io.tally.history.StoredEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Docker's {@code /events} from the event store. History and live events come from one Axon event
 * stream (a tracking token over global_index that also waits for gaps left by transactions still
 * committing), so the hand-over from stored to new events has no gap and no duplicate by
 * construction. Without {@code until} the stream follows new events until the client leaves; with
 * it, it ends once the clock has passed {@code until} and every event stored by then was seen.
 */
@ApplicationScoped
public class DockerEventStream {
    /**
     * The stream starts this long before {@code since}: the event store has no index by time, and an
     * event stored just before {@code since} may have been given its global index earlier still.
     */
    private static final Duration START_MARGIN = Duration.ofMinutes(5);
    private static final long IDLE_CHECK_MILLIS = 1000;
    private static final Set<String> FOLDED_AGGREGATES = Set.of("Container", "Engine");

    @Inject EventSourcing eventSourcing;
    @Inject EventStoreReader reader;
    /** Streams open now: /info's NEventsListener. */
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    /** How many clients are receiving events now (Docker's NEventsListener). */
    public int listeners() {
        return open.get();
    }

    /** Receives each message as it is produced; a failure (client gone) ends the stream. */
    public interface Sink {
        void accept(DockerEvent event) throws IOException;
    }

    /**
     * @param since      first time to show, or null: only events from now on (unless {@code until} is given: from the start)
     * @param until      last time to show, or null: follow live events
     * @param clientGone polled while no events come, so an idle stream ends when its client leaves
     */
    public void stream(Instant since, Instant until, EventFilter filter, Sink sink, BooleanSupplier clientGone) throws IOException {
        open.incrementAndGet();
        try {
            streamCounted(since, until, filter, sink, clientGone);
        } finally {
            open.decrementAndGet();
        }
    }

    private void streamCounted(Instant since, Instant until, EventFilter filter, Sink sink, BooleanSupplier clientGone) throws IOException {
        EventStore store = eventSourcing.configuration().eventStore();
        TrackingToken start = startToken(store, since, until);
        long seen = start == null ? -1 : start.position().orElse(-1);
        Long lastToSee = null;
        Map<String, AggregateFacts> facts = new HashMap<>();
        try (BlockingStream<TrackedEventMessage<?>> events = store.openStream(start)) {
            while (!clientGone.getAsBoolean()) {
                if (until != null && lastToSee == null && !Instant.now().isBefore(until)) {
                    lastToSee = headIndex(store); // everything stored from now on is after until
                }
                if (lastToSee != null && seen >= lastToSee) {
                    return;
                }
                if (!events.hasNextAvailable((int) waitMillis(until, lastToSee), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                TrackedEventMessage<?> message = events.nextAvailable();
                long index = message.trackingToken().position().orElse(seen);
                seen = Math.max(seen, index);
                StoredEvent e = reader.fromStream(message, index);
                AggregateFacts f = factsOf(facts, e);
                f.observe(e);
                if (within(e.time(), since, until)) {
                    for (DockerEvent d : DockerEventMapper.map(e, f)) {
                        if (filter.test(d)) {
                            sink.accept(d);
                        }
                    }
                }
                if (e.payload() instanceof ContainerRemoved) {
                    facts.remove(e.aggregateId()); // a long-lived stream must not keep every container ever seen
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static TrackingToken startToken(EventStore store, Instant since, Instant until) {
        if (since != null) {
            TrackingToken at = store.createTokenAt(since.minus(START_MARGIN));
            // No event stored after that time: only events from now on can be shown.
            return at != null ? at : store.createHeadToken();
        }
        return until != null ? null : store.createHeadToken();
    }

    private static long headIndex(EventStore store) {
        TrackingToken head = store.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    private static long waitMillis(Instant until, Long lastToSee) {
        if (until == null || lastToSee != null) {
            return IDLE_CHECK_MILLIS;
        }
        return Math.max(1, Math.min(IDLE_CHECK_MILLIS, Duration.between(Instant.now(), until).toMillis()));
    }

    private static boolean within(Instant time, Instant since, Instant until) {
        return (since == null || !time.isBefore(since)) && (until == null || !time.isAfter(until));
    }

    /** The aggregate's facts, first folded from its earlier events when the stream starts in its middle. */
    private AggregateFacts factsOf(Map<String, AggregateFacts> facts, StoredEvent e) {
        if (e.aggregateId() == null || !FOLDED_AGGREGATES.contains(e.aggregateType())) {
            return new AggregateFacts();
        }
        return facts.computeIfAbsent(e.aggregateId(), id -> {
            AggregateFacts f = new AggregateFacts();
            if (e.sequence() > 0) {
                reader.ofAggregateBefore(id, e.sequence()).forEach(f::observe);
            }
            return f;
        });
    }
}
