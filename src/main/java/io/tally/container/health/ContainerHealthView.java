package io.tally.container.health;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tally.container.api.HealthProbeResult;
import io.tally.container.api.HealthStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** The recorded health of one container that has a health check; a projection of the container events. */
@Entity
@Table(name = "container_health")
public class ContainerHealthView extends PanacheEntityBase {
    @Id
    @Column(name = "container_id")
    public String containerId;
    /** Docker's word; null until the container first started. */
    public String status;
    @Column(name = "failing_streak")
    public int failingStreak;
    @Column(name = "last_start")
    public Instant lastStart;
    @Column(name = "last_end")
    public Instant lastEnd;
    @Column(name = "last_exit_code")
    public Integer lastExitCode;
    @Column(name = "last_output")
    public String lastOutput;

    public Optional<HealthStatus> health() {
        return status == null ? Optional.empty() : HealthStatus.named(status);
    }

    public Optional<HealthProbeResult> lastResult() {
        return lastExitCode == null ? Optional.empty()
                : Optional.of(new HealthProbeResult(lastStart, lastEnd, lastExitCode, lastOutput));
    }
}
