package io.tally.container.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/** One exec session as `GET /exec/{id}/json` shows it; a projection of the exec events. */
@Entity
@Table(name = "exec_view")
public class ExecView extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "container_id")
    public String containerId;
    /** The recorded {@link io.tally.container.api.ExecConfig} as JSON. */
    public String config;
    public boolean running;
    public long pid;
    @Column(name = "exit_code")
    public Integer exitCode;
    public String error;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;

    public boolean started() {
        return startedAt != null || exitCode != null;
    }

    public static List<ExecView> runningIn(String containerId) {
        return list("containerId = ?1 and running = true order by createdAt", containerId);
    }

    public static List<ExecView> allRunning() {
        return list("running", true);
    }
}
