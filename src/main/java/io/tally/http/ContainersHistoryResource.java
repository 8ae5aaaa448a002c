package io.tally.http;

import io.tally.container.query.ContainerView;
import io.tally.projection.timeline.ContainerState;
import io.tally.projection.timeline.ContainerTimeline;
import io.tally.projection.timeline.TimeCoordinate;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * `docker ps -a` at a point of the history: {@code GET /tally/v1/containers?at=T}, answered from the
 * temporal read model in the shape of {@code GET /containers/json?all=1}.
 */
@Path("/tally/v1/containers")
public class ContainersHistoryResource {
    @Inject ContainerTimeline timeline;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> listAt(@QueryParam("at") String at) {
        ContainerTimeline.Snapshot snapshot = at == null ? timeline.at(new TimeCoordinate.AtTime(Instant.now())) : timeline.at(at);
        return snapshot.containers().stream().map(e -> ContainerJsonViews.summary(asView(e), snapshot.asOf())).toList();
    }

    /** The row in the read model's shape, for the same JSON as `docker ps` (never persisted). */
    private static ContainerView asView(ContainerTimeline.Entry e) {
        ContainerState s = e.state();
        ContainerView v = new ContainerView();
        v.id = s.id();
        v.name = s.name();
        v.image = s.image();
        v.imageId = s.imageId();
        v.state = s.state();
        v.createdAt = s.createdAt();
        v.startedAt = s.startedAt();
        v.finishedAt = s.finishedAt();
        v.pid = s.pid();
        v.exitCode = s.exitCode();
        v.oomKilled = s.oomKilled();
        v.error = s.error();
        v.restartCount = s.restartCount();
        v.config = e.config();
        v.hostConfig = e.hostConfig();
        return v;
    }
}
