package io.tally.projection;

import java.util.List;
import java.util.function.Function;

/**
 * A read model as the registry knows it: its public name (also its projection_position row), the
 * Axon processor that keeps it live, its tables (in the order a replay empties them) and a factory
 * of fresh handler instances for a replay or a catch-up: the same handler classes as the live
 * processor, wired so that a replay wakes no waiter and touches nothing outside the tables. The
 * factory's argument says whether the tables start empty (a replay) or hold rows (a catch-up).
 */
public record ReadModel(String name, String processor, List<Table> tables, Function<Boolean, List<Object>> replayHandlers) {
    /** A table and its key, the order in which its rows are digested. */
    public record Table(String name, String orderBy) {
    }
}
