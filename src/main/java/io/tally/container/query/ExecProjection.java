package io.tally.container.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecDied;
import io.tally.container.api.ExecStartFailed;
import io.tally.container.api.ExecStarted;
import io.tally.events.AfterCommit;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;

import java.time.Instant;

/** Keeps exec_view in step with the exec events, in the command's transaction; wakes exit waiters after commit. */
@ProcessingGroup(ExecProjection.NAME)
public class ExecProjection {
    public static final String NAME = "exec-projection";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecStateWatch watch;

    public ExecProjection(ExecStateWatch watch) {
        this.watch = watch;
    }

    @EventHandler
    void on(ExecCreated e, @Timestamp Instant at) throws Exception {
        ExecView v = new ExecView();
        v.id = e.execId();
        v.containerId = e.containerId();
        v.config = JSON.writeValueAsString(e.config());
        v.createdAt = at;
        v.persist();
    }

    @EventHandler
    void on(ExecStarted e, @Timestamp Instant at) {
        view(e.execId()).ifPresent(v -> {
            v.running = true;
            v.pid = e.pid();
            v.startedAt = at;
        });
    }

    @EventHandler
    void on(ExecStartFailed e, @Timestamp Instant at) {
        view(e.execId()).ifPresent(v -> {
            v.exitCode = e.exitCode();
            v.error = e.error();
            v.finishedAt = at;
        });
        ended(e.execId(), e.exitCode());
    }

    @EventHandler
    void on(ExecDied e) {
        view(e.execId()).ifPresent(v -> {
            v.running = false;
            v.pid = 0;
            v.exitCode = e.exitCode();
            v.finishedAt = e.exitedAt();
        });
        ended(e.execId(), e.exitCode());
    }

    @EventHandler
    void on(ContainerRemoved e) {
        ExecView.delete("containerId", e.containerId());
    }

    private void ended(String execId, int exitCode) {
        AfterCommit.run(() -> watch.ended(execId, exitCode));
    }

    private static java.util.Optional<ExecView> view(String id) {
        return ExecView.findByIdOptional(id);
    }
}
