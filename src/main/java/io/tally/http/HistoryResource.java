package io.tally.http;

import io.tally.container.query.ContainerView;
import io.tally.container.query.ContainerViewChanges;
import io.tally.container.timeline.ContainerTimeline;
import io.tally.history.AggregateHistory;
import io.tally.history.HistoryEntry;
import io.tally.history.PointInTime;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Tally's own history endpoints (docs/api.md): an aggregate's events, a container as it was, `ps -a` as it was. */
@Path("/tally/v1")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {
    @Inject AggregateHistory history;
    @Inject ContainerInspections inspections;
    @Inject ContainerTimeline timeline;

    /**
     * `docker ps -a` at a point of the history, answered from the temporal read model in the shape of
     * {@code GET /containers/json?all=1}.
     */
    @GET
    @Path("containers")
    public List<Map<String, Object>> containersAt(@QueryParam("at") String at) {
        PointInTime point = AsOfParameter.parse(at);
        ContainerTimeline.Snapshot snapshot = timeline.at(point == null ? new PointInTime.AtTime(Instant.now()) : point);
        return snapshot.containers().stream().map(e -> ContainerJsonViews.summary(asView(e), snapshot.asOf())).toList();
    }

    @GET
    @Path("containers/{id}/history")
    public List<HistoryEntry> containerHistory(@PathParam("id") String id) {
        return history.ofContainer(id);
    }

    @GET
    @Path("images/{name: .+}/history")
    public List<HistoryEntry> imageHistory(@PathParam("name") String name) {
        return history.ofImage(name);
    }

    /** The container in `docker inspect`'s shape, now or (with {@code at}) as it was then. */
    @GET
    @Path("containers/{id}")
    public Map<String, Object> container(@PathParam("id") String id, @QueryParam("at") String at) {
        return inspections.inspect(id, AsOfParameter.parse(at));
    }

    /** A timeline row in the read model's shape, for the same JSON as `docker ps` (never persisted). */
    private static ContainerView asView(ContainerTimeline.Entry e) {
        ContainerView v = new ContainerView();
        ContainerViewChanges.show(e.state(), v);
        v.config = e.config();
        v.hostConfig = e.hostConfig();
        return v;
    }
}
