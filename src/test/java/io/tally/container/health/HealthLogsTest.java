package io.tally.container.health;

import io.tally.container.api.HealthProbeResult;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthLogsTest {
    @Test
    void keepsTheLastFiveResultsOldestFirst() {
        HealthLogs logs = new HealthLogs();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 7; i++) {
            logs.add("c", new HealthProbeResult(t.plusSeconds(i), t.plusSeconds(i), i, "run " + i));
        }
        List<HealthProbeResult> log = logs.log("c");
        assertEquals(List.of(2, 3, 4, 5, 6), log.stream().map(HealthProbeResult::exitCode).toList());
    }

    @Test
    void theStreakIsKeptBesideTheLogAndForgottenWithIt() {
        HealthLogs logs = new HealthLogs();
        logs.streak("c", 2);
        logs.add("c", new HealthProbeResult(Instant.EPOCH, Instant.EPOCH, 1, ""));
        assertEquals(2, logs.streak("c"));
        logs.forget("c");
        assertEquals(0, logs.streak("c"));
        assertEquals(List.of(), logs.log("c"));
    }
}
