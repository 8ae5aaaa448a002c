package io.tally.history;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** Every event of one container or image, in order: the answer to "what happened to it?". */
@ApplicationScoped
public class AggregateHistory {
    @Inject HistoricalIds ids;
    @Inject EventStoreReader events;

    public List<HistoryEntry> ofContainer(String idOrName) {
        return entries(ids.container(idOrName));
    }

    public List<HistoryEntry> ofImage(String nameOrId) {
        return entries(ids.image(nameOrId));
    }

    private List<HistoryEntry> entries(String aggregateId) {
        return events.ofAggregate(aggregateId).stream().map(HistoryEntry::of).toList();
    }
}
