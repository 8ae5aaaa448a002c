package io.tally.projection;

import io.tally.events.DomainException;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * Rebuilds a read model from the event store through its own handler classes.
 *
 * <p>A replay is one transaction that first locks the projection's position row, then deletes the
 * rows and re-applies every stored event in order, flushing in batches. Readers keep seeing the old
 * rows until it commits (never a half-built model, so `docker ps` and name checks stay right).
 * Commands that store events meanwhile are not lost: their projection step must take the same row
 * lock (see {@link PositionInterceptor}), so they wait, and apply their events on top of the rebuilt
 * rows once the replay has committed; events they stored are invisible to the replay until then.
 * The price is that writers wait for the replay (docs/benchmarks.md gives its speed).
 */
@ApplicationScoped
public class ProjectionReplayer {
    /** Starts after Axon (10) and before anything sends commands (engine start at 20). */
    private static final Logger LOG = Logger.getLogger(ProjectionReplayer.class);
    private static final int FLUSH_EVERY = 1000;
    private static final int TIMEOUT_SECONDS = (int) Duration.ofHours(2).toSeconds();

    public record Result(String name, long events, long position, long millis) {
        public long eventsPerSecond() {
            return millis == 0 ? events : events * 1000 / millis;
        }
    }

    /** The read model being replayed now, if any: API commands are refused meanwhile ({@link ReplayGuard}). */
    private final java.util.concurrent.atomic.AtomicReference<String> replaying = new java.util.concurrent.atomic.AtomicReference<>();

    @Inject ReadModels models;
    @Inject ProjectionPositions positions;
    @Inject EventStore eventStore;
    @Inject EntityManager entityManager;
    @Inject DataSource dataSource;

    /** Empties the read model and applies every stored event again. */
    public Result replay(String name) {
        ReadModel model = models.named(name);
        if (!replaying.compareAndSet(null, model.name())) {
            throw DomainException.conflict("projection " + replaying.get() + " is being replayed; replay one at a time");
        }
        try {
            long t0 = System.nanoTime();
            return QuarkusTransaction.requiringNew().timeout(TIMEOUT_SECONDS).call(() -> {
                positions.lock(model.name());
                deleteRows(model);
                Applied applied = apply(model, 0);
                positions.replayed(model.name(), applied.position(), Instant.now());
                return new Result(model.name(), applied.events(), applied.position(), Duration.ofNanos(System.nanoTime() - t0).toMillis());
            });
        } finally {
            replaying.set(null);
        }
    }

    /** @return the read model being replayed, if one is */
    public java.util.Optional<String> replaying() {
        return java.util.Optional.ofNullable(replaying.get());
    }

    /** Applies the events stored after the model's position (a model added by an upgrade starts at 0). */
    public Result catchUp(String name) {
        ReadModel model = models.named(name);
        long t0 = System.nanoTime();
        return QuarkusTransaction.requiringNew().timeout(TIMEOUT_SECONDS).call(() -> {
            long from = positions.lock(model.name());
            Applied applied = apply(model, from);
            if (applied.events() > 0) {
                positions.advance(model.name(), applied.position());
            }
            return new Result(model.name(), applied.events(), Math.max(from, applied.position()),
                    Duration.ofNanos(System.nanoTime() - t0).toMillis());
        });
    }

    /** Brings every read model that is behind the store up to its head (models added by an upgrade, rows lost). */
    public void catchUpAtStart() {
        long head = positions.head();
        positions.all().values().stream().filter(p -> p.position() < head).forEach(p -> {
            Result r = catchUp(p.name());
            LOG.infof("projection %s caught up: %d events applied in %d ms", r.name(), r.events(), r.millis());
        });
    }

    private record Applied(long events, long position) {
    }

    private Applied apply(ReadModel model, long after) {
        List<Object> instances = model.replayHandlers().apply(after <= 0);
        List<AnnotationEventHandlerAdapter> handlers = instances.stream().map(AnnotationEventHandlerAdapter::new).toList();
        TrackingToken from = after <= 0 ? null : GapAwareTrackingToken.newInstance(after, Collections.emptySortedSet());
        long events = 0;
        long position = after;
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(from)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> event = stream.nextAvailable();
                for (AnnotationEventHandlerAdapter h : handlers) {
                    if (h.canHandle(event)) {
                        h.handle(event);
                    }
                }
                position = Math.max(position, event.trackingToken().position().orElse(position));
                if (++events % FLUSH_EVERY == 0) {
                    // Bounded memory: the rows go to PostgreSQL (still uncommitted) and leave Hibernate's session.
                    flushBatches(instances, false);
                    entityManager.flush();
                    entityManager.clear();
                }
            }
            flushBatches(instances, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay of " + model.name() + " interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("replay of " + model.name() + " failed after " + events + " events: " + e.getMessage(), e);
        }
        entityManager.flush();
        return new Applied(events, position);
    }

    private static void flushBatches(List<Object> instances, boolean endOfStream) throws SQLException {
        for (Object h : instances) {
            if (h instanceof ReplayBatching b) {
                b.flushBatch(endOfStream);
            }
        }
    }

    private void deleteRows(ReadModel model) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (ReadModel.Table t : model.tables()) {
                s.executeUpdate("DELETE FROM " + t.name());
            }
        }
    }
}
