package io.tally.container.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HealthCheckSpecTest {
    @Test
    void cmdShellRunsInShWithDockersDefaults() {
        HealthCheckSpec spec = HealthCheckSpec.of(Map.of("Healthcheck", Map.of("Test", List.of("CMD-SHELL", "test -f /ready")))).orElseThrow();
        assertEquals(List.of("/bin/sh", "-c", "test -f /ready"), spec.probe());
        assertEquals(Duration.ofSeconds(30), spec.interval());
        assertEquals(Duration.ofSeconds(30), spec.timeout());
        assertEquals(Duration.ZERO, spec.startPeriod());
        assertEquals(3, spec.retries());
    }

    @Test
    void cmdRunsItsArgumentsWithTheGivenTimings() {
        HealthCheckSpec spec = HealthCheckSpec.of(Map.of("Healthcheck", Map.of("Test", List.of("CMD", "cat", "/ready"),
                "Interval", 2_000_000_000L, "Timeout", 500_000_000L, "StartPeriod", 7_000_000_000L, "Retries", 5))).orElseThrow();
        assertEquals(List.of("cat", "/ready"), spec.probe());
        assertEquals(Duration.ofSeconds(2), spec.interval());
        assertEquals(Duration.ofMillis(500), spec.timeout());
        assertEquals(Duration.ofSeconds(7), spec.startPeriod());
        assertEquals(5, spec.retries());
    }

    @Test
    void cmdShellUsesTheContainersShellWhenSet() {
        HealthCheckSpec spec = HealthCheckSpec.of(Map.of("Shell", List.of("/bin/ash", "-e", "-c"),
                "Healthcheck", Map.of("Test", List.of("CMD-SHELL", "true")))).orElseThrow();
        assertEquals(List.of("/bin/ash", "-e", "-c", "true"), spec.probe());
    }

    @Test
    void noneAnEmptyTestOrNoCheckMeanNoHealthCheck() {
        assertEquals(Optional.empty(), HealthCheckSpec.of(Map.of("Healthcheck", Map.of("Test", List.of("NONE")))));
        assertEquals(Optional.empty(), HealthCheckSpec.of(Map.of("Healthcheck", Map.of("Test", List.of()))));
        assertEquals(Optional.empty(), HealthCheckSpec.of(Map.of("Cmd", List.of("sh"))));
    }
}
