package io.tally.http;

import io.tally.image.ImageReference;
import io.tally.image.InvalidReferenceException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/**
 * {@code GET /distribution/{name}/json}: a registry's manifest of an image. Tally reaches no registry yet,
 * so it answers as Docker does for an image it cannot reach: 401 (the status the API gives for "failed
 * authentication or no image found"), naming the registry; a malformed name is Docker's 400.
 */
@Path("/distribution")
public class DistributionResource {

    @GET
    @Path("{name: .+}/json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> inspect(@PathParam("name") String name) {
        ImageReference ref;
        try {
            ref = ImageReference.parseNormalized(name);
        } catch (InvalidReferenceException e) {
            throw new DockerApiException(400, e.getMessage());
        }
        String registry = "docker.io".equals(ref.domain()) ? "registry-1.docker.io" : ref.domain();
        throw new DockerApiException(401, "cannot inspect " + ref.familiar() + " on " + registry
                + ": Tally does not reach registries yet (registries are a separate open issue)");
    }
}
