package io.tally.container.query;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.tally.container.state.ContainerStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One container as `docker ps -a` and `docker inspect` show it; a projection of the container events. */
@Entity
@Table(name = "container_view")
public class ContainerView extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    public String image;
    @Column(name = "image_id")
    public String imageId;
    @Convert(converter = ContainerStatusColumn.class)
    public ContainerStatus state;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    public long pid;
    @Column(name = "exit_code")
    public int exitCode;
    @Column(name = "oom_killed")
    public boolean oomKilled;
    public String error;
    @Column(name = "restart_count")
    public int restartCount;
    public String config;
    @Column(name = "host_config")
    public String hostConfig;
    @Column(name = "lower_dirs")
    public String lowerDirs;

    public boolean running() {
        return state.hasProcess();
    }

    public static long countInState(ContainerStatus state) {
        return count("state", state);
    }

    public static Optional<ContainerView> byName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Docker's lookup: full id, then name, then unique id prefix. */
    public static Optional<ContainerView> resolve(String idOrName) {
        if (idOrName == null || idOrName.isBlank()) {
            return Optional.empty();
        }
        String n = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        Optional<ContainerView> byId = findByIdOptional(n);
        if (byId.isPresent()) {
            return byId;
        }
        Optional<ContainerView> named = byName(n);
        if (named.isPresent()) {
            return named;
        }
        if (n.matches("[0-9a-f]{1,63}")) {
            List<ContainerView> matches = list("id like ?1", n + "%");
            if (matches.size() == 1) {
                return Optional.of(matches.get(0));
            }
        }
        return Optional.empty();
    }
}
