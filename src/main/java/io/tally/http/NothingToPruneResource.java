package io.tally.http;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.HashMap;
import java.util.Map;

/**
 * Prunes of what Tally does not have yet (networks, volumes, build cache) find nothing to delete, which is
 * true; {@code docker system prune} calls them all and would fail on the first refusal.
 */
@Path("/")
public class NothingToPruneResource {

    @POST
    @Path("networks/prune")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> networks() {
        return nothing("NetworksDeleted", false);
    }

    @POST
    @Path("volumes/prune")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> volumes() {
        return nothing("VolumesDeleted", true);
    }

    @POST
    @Path("build/prune")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> buildCache() {
        return nothing("CachesDeleted", true);
    }

    private static Map<String, Object> nothing(String deletedField, boolean reclaims) {
        Map<String, Object> m = new HashMap<>();
        m.put(deletedField, null);
        if (reclaims) {
            m.put("SpaceReclaimed", 0);
        }
        return m;
    }
}
