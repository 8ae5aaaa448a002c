package io.tally.projection;

import java.util.List;
import java.util.function.Supplier;

/**
 * A read model as the registry knows it: its public name (also its projection_position row), the
 * Axon processor that keeps it live, its tables (in the order a replay empties them) and a factory
 * of fresh handler instances for a replay: the same handler classes as the live processor, wired so
 * that a replay wakes no waiter and touches nothing outside the tables.
 */
public record ReadModel(String name, String processor, List<Table> tables, Supplier<List<Object>> replayHandlers) {
    /** A table and its key, the order in which its rows are digested. */
    public record Table(String name, String orderBy) {
    }
}
