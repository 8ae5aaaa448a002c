package io.tally.http;

import io.tally.projection.ProjectionDigest;
import io.tally.projection.ProjectionPositions;
import io.tally.projection.ProjectionReplayer;
import io.tally.projection.ReadModel;
import io.tally.projection.ReadModels;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tally's own API for the read models: where each stands, rebuilding one, and its digest (docs/api-history.md). */
@Path("/tally/v1/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionsResource {
    @Inject ReadModels models;
    @Inject ProjectionPositions positions;
    @Inject ProjectionReplayer replayer;
    @Inject ProjectionDigest digests;

    @GET
    public List<Map<String, Object>> list() {
        long head = positions.head();
        Map<String, ProjectionPositions.Position> all = positions.all();
        return models.all().stream().map(m -> {
            ProjectionPositions.Position p = all.get(m.name());
            long position = p == null ? 0 : p.position();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("Name", m.name());
            out.put("Tables", m.tables().stream().map(ReadModel.Table::name).toList());
            out.put("Position", position);
            out.put("Head", head);
            out.put("Lag", Math.max(0, head - position));
            out.put("ReplayedAt", p == null || p.replayedAt() == null ? null : p.replayedAt().toString());
            return out;
        }).toList();
    }

    @POST
    @Path("{name}/replay")
    public Map<String, Object> replay(@PathParam("name") String name) {
        ProjectionReplayer.Result r = replayer.replay(name);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Name", r.name());
        out.put("Events", r.events());
        out.put("Position", r.position());
        out.put("Millis", r.millis());
        out.put("EventsPerSecond", r.eventsPerSecond());
        return out;
    }

    @GET
    @Path("{name}/digest")
    public Map<String, Object> digest(@PathParam("name") String name) {
        ProjectionDigest.Digest d = digests.of(name);
        return Map.of("Name", d.name(), "Algorithm", "sha256", "Digest", d.sha256(), "Rows", d.rows());
    }
}
