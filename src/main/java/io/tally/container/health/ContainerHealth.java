package io.tally.container.health;

import io.tally.container.api.HealthProbeResult;
import io.tally.container.api.HealthStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Containers' health as inspect and ps show it: the recorded status (container_health), with the
 * monitor's memory of recent probes. After a tallyd restart, until the next probe, the result that
 * caused the last change stands for the log.
 */
@ApplicationScoped
public class ContainerHealth {
    @Inject HealthMonitor monitor;

    /** Docker's {@code State.Health}. */
    public record Report(HealthStatus status, int failingStreak, List<HealthProbeResult> log) {
    }

    /** Empty when the container has no health check or never ran (Docker's Health is then absent, "none" to filters). */
    public Optional<Report> of(String containerId) {
        return ContainerHealthView.<ContainerHealthView>findByIdOptional(containerId).flatMap(this::report);
    }

    /** The status of every container that has one, by container id. */
    public Map<String, HealthStatus> statuses() {
        Map<String, HealthStatus> all = new HashMap<>();
        for (ContainerHealthView v : ContainerHealthView.<ContainerHealthView>listAll()) {
            v.health().ifPresent(s -> all.put(v.containerId, s));
        }
        return all;
    }

    private Optional<Report> report(ContainerHealthView v) {
        return v.health().map(status -> {
            List<HealthProbeResult> log = monitor.log(v.containerId);
            if (log.isEmpty()) {
                log = v.lastResult().map(List::of).orElse(List.of());
            }
            int streak = monitor.failingStreak(v.containerId).orElse(v.failingStreak);
            return new Report(status, streak, log);
        });
    }
}
