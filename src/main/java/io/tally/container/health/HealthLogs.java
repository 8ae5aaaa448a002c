package io.tally.container.health;

import io.tally.container.api.HealthProbeResult;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the monitor remembers between probes, per container, as Docker does in memory: the last
 * five results ({@code State.Health.Log}) and the current failing streak. Not recorded as events
 * (one probe every interval, forever); lost when tallyd restarts, when the recorded status and the
 * result that caused it stand in for them.
 */
final class HealthLogs {
    static final int MAX_ENTRIES = 5;

    private record Memory(Deque<HealthProbeResult> log, int failingStreak) {
    }

    private final Map<String, Memory> byContainer = new ConcurrentHashMap<>();

    void add(String containerId, HealthProbeResult result) {
        byContainer.compute(containerId, (id, m) -> {
            Deque<HealthProbeResult> log = m == null ? new ArrayDeque<>() : new ArrayDeque<>(m.log());
            log.addLast(result);
            while (log.size() > MAX_ENTRIES) {
                log.removeFirst();
            }
            return new Memory(log, m == null ? 0 : m.failingStreak());
        });
    }

    void streak(String containerId, int failingStreak) {
        byContainer.compute(containerId, (id, m) -> new Memory(m == null ? new ArrayDeque<>() : m.log(), failingStreak));
    }

    int streak(String containerId) {
        Memory m = byContainer.get(containerId);
        return m == null ? 0 : m.failingStreak();
    }

    /** The remembered results, oldest first; empty when none (never probed since tallyd started). */
    List<HealthProbeResult> log(String containerId) {
        Memory m = byContainer.get(containerId);
        return m == null ? List.of() : List.copyOf(m.log());
    }

    Optional<Integer> knownStreak(String containerId) {
        return Optional.ofNullable(byContainer.get(containerId)).map(Memory::failingStreak);
    }

    void forget(String containerId) {
        byContainer.remove(containerId);
    }
}
