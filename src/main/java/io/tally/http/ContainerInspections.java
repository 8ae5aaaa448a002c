package io.tally.http;

import io.tally.container.ContainerService;
import io.tally.container.health.ContainerHealth;
import io.tally.container.query.ContainerView;
import io.tally.container.query.ExecView;
import io.tally.history.ContainerAsOf;
import io.tally.history.PointInTime;
import io.tally.runtime.ContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/** `docker inspect`'s answer for a container now, or as it was at a point in time (shared by two routes). */
@ApplicationScoped
class ContainerInspections {
    @Inject ContainerService containers;
    @Inject ContainerAsOf asOf;
    @Inject ContainerRuntime runtime;
    @Inject ContainerHealth health;

    /** @param at null for now */
    Map<String, Object> inspect(String idOrName, PointInTime at) {
        ContainerView c = at == null ? containers.require(idOrName) : asOf.at(idOrName, at);
        Map<String, Object> inspected = ContainerJsonViews.inspect(c, runtime.containerDir(c.id), runtime.logFile(c.id));
        if (at == null) {
            List<String> execs = ExecView.runningIn(c.id).stream().map(e -> e.id).toList();
            inspected.put("ExecIDs", execs.isEmpty() ? null : execs);
            health.of(c.id).ifPresent(r -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> state = (Map<String, Object>) inspected.get("State");
                state.put("Health", ContainerJsonViews.health(r));
            });
        }
        return inspected;
    }
}
