package io.tally.http;

import io.tally.history.AggregateHistory;
import io.tally.history.HistoryEntry;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** Tally's own history endpoints (docs/api.md): an aggregate's events, and a container as it was. */
@Path("/tally/v1")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {
    @Inject AggregateHistory history;
    @Inject ContainerInspections inspections;

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
}
