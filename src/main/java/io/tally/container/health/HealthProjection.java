package io.tally.container.health;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerHealthChanged;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.HealthStatus;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

/** Keeps container_health in step with the container events, in the command's transaction. */
@ProcessingGroup(HealthProjection.NAME)
public class HealthProjection {
    public static final String NAME = "health-projection";

    @EventHandler
    void on(ContainerCreated e) {
        if (HealthCheckSpec.of(e.config()).isPresent()) {
            ContainerHealthView v = new ContainerHealthView();
            v.containerId = e.containerId();
            v.persist();
        }
    }

    /** Every run starts over as {@code starting}; the last result stays until a probe of this run changes the status. */
    @EventHandler
    void on(ContainerStarted e) {
        view(e.containerId()).ifPresent(v -> {
            v.status = HealthStatus.STARTING.word();
            v.failingStreak = 0;
        });
    }

    @EventHandler
    void on(ContainerHealthChanged e) {
        view(e.containerId()).ifPresent(v -> {
            v.status = e.status().word();
            v.failingStreak = e.failingStreak();
            if (e.lastResult() != null) {
                v.lastStart = e.lastResult().start();
                v.lastEnd = e.lastResult().end();
                v.lastExitCode = e.lastResult().exitCode();
                v.lastOutput = e.lastResult().output();
            }
        });
    }

    @EventHandler
    void on(ContainerRemoved e) {
        ContainerHealthView.deleteById(e.containerId());
    }

    private static java.util.Optional<ContainerHealthView> view(String id) {
        return ContainerHealthView.findByIdOptional(id);
    }
}
