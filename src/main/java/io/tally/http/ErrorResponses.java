package io.tally.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tally.events.DomainException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Every failure leaves in Docker's shape, {@code {"message": "…"}} with a meaningful status: the
 * docker CLI prints the message and derives its exit code from the status.
 */
public class ErrorResponses {
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    public static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("message", message)).build();
    }

    @ServerExceptionMapper
    public Response docker(DockerApiException e) {
        return json(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response domain(DomainException e) {
        int status = status(e);
        return status == 304 ? Response.notModified().build() : json(status, e.getMessage());
    }

    /** The HTTP status Docker answers for a domain failure; also for the routes served below JAX-RS. */
    public static int status(DomainException e) {
        return switch (e.kind()) {
            case INVALID, INVALID_CONFIG -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT, NOT_RUNNING -> 409;
            case NOT_MODIFIED -> 304;
            case FAILED, START_FAILED, HOST_ERROR -> 500;
        };
    }

    @ServerExceptionMapper
    public Response unknownRoute(NotFoundException e, UriInfo uri) {
        return UnsupportedEndpoints.of(uri.getPath())
                .map(r -> json(r.status(), r.message()))
                .orElseGet(() -> json(404, "page not found"));
    }

    @ServerExceptionMapper
    public Response wrongMethod(NotAllowedException e) {
        return json(405, "method not allowed");
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return json(400, "invalid JSON in request body: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return json(e.getResponse().getStatus(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("request failed", e);
        return json(500, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
