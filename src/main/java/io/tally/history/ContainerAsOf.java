package io.tally.history;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerUpdated;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.query.ContainerView;
import io.tally.container.query.ContainerViewChanges;
import io.tally.events.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A container as it was at a point in time: its events up to then, folded into a detached
 * {@link ContainerView} with the projection's own rules ({@link ContainerViewChanges}). Nothing is
 * persisted and nothing touches the host.
 */
@ApplicationScoped
public class ContainerAsOf {
    @Inject HistoricalIds ids;
    @Inject EventStoreReader events;

    public ContainerView at(String idOrName, PointInTime point) {
        String id = ids.container(idOrName);
        ContainerView view = null;
        StoredEvent removal = null;
        for (StoredEvent e : events.ofAggregate(id)) {
            if (!point.includes(e)) {
                continue; // checked per event rather than stopping at the first later one: clocks may step back
            }
            if (e.payload() instanceof ContainerCreated created) {
                view = ContainerViewChanges.created(created, e.time());
            } else if (e.payload() instanceof ContainerRemoved) {
                removal = e;
            } else if (view != null && e.payload() instanceof ContainerUpdated updated) {
                ContainerViewChanges.updated(view, updated);
            } else if (view != null) {
                ContainerViewChanges.apply(view, e.payload(), e.time());
            }
        }
        if (view == null) {
            throw DomainException.notFound("No such container: " + idOrName + " did not exist yet at " + point);
        }
        if (removal != null) {
            throw DomainException.notFound("No such container: " + idOrName + " was removed at " + removal.time()
                    + ", before " + point);
        }
        return view;
    }
}
