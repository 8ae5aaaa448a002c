package io.tally.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.history.docker.DockerEventStream;
import io.tally.history.docker.EventFilter;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code GET /events}: Docker's event stream, served from the event store (docs/api.md). */
@Path("/events")
public class EventsResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject DockerEventStream events;
    @Context HttpServerRequest request;

    @GET
    public Response events(@QueryParam("since") String since, @QueryParam("until") String until,
                           @QueryParam("filters") String filters) {
        Instant from = time(since, "since");
        Instant to = time(until, "until");
        EventFilter filter = filter(DockerFilters.parse(filters, EventFilter.KEYS));
        HttpServerRequest client = request;
        StreamingOutput body = os -> {
            // Headers first: clients wait for them before they show anything.
            os.flush();
            events.stream(from, to, filter, e -> {
                os.write(JSON.writeValueAsBytes(e.toJson()));
                os.write('\n');
                os.flush();
            }, () -> client.response().closed());
        };
        return Response.ok(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Instant time(String value, String parameter) {
        return value == null || value.isBlank() ? null : Timestamps.parse(value, parameter);
    }

    private static EventFilter filter(DockerFilters f) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        EventFilter.KEYS.forEach(k -> values.put(k, f.get(k)));
        return new EventFilter(values);
    }
}
