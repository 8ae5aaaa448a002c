package io.tally.http;

import io.tally.container.ContainerService;
import io.tally.http.transport.RequestActors;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.util.HashMap;
import java.util.Map;

/** {@code POST /containers/{id}/update} ({@code docker update}). */
@Path("/containers")
public class ContainerUpdateResource {

    @Inject ContainerService containers;
    @Inject RequestActors actors;
    @Context HttpServerRequest request;

    @POST
    @Path("{id}/update")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, Map<String, Object> body) {
        containers.update(id, body, actors.of(request));
        // Docker's answer carries the kernel's warnings; the runtime refuses rather than discards, so there are none
        Map<String, Object> answer = new HashMap<>();
        answer.put("Warnings", null);
        return answer;
    }
}
