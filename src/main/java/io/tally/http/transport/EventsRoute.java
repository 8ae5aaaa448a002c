package io.tally.http.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.history.docker.DockerEvent;
import io.tally.history.docker.DockerEventStream;
import io.tally.history.docker.EventFilter;
import io.tally.http.DockerApiException;
import io.tally.http.DockerFilters;
import io.tally.http.Timestamps;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /events} (docs/api.md): the 200 and its headers must leave at once, before any event
 * (Docker's daemon flushes them; SDKs wait for them), and each message as soon as it exists. JAX-RS
 * commits headers only with the first body bytes, so this route uses the Vert.x response itself.
 */
@ApplicationScoped
public class EventsRoute {
    private static final Logger LOG = Logger.getLogger(EventsRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A client that reads slower than events come: wait for it rather than buffer without bound. */
    private static final long DRAIN_POLL_MILLIS = 10;

    @Inject DockerEventStream events;
    @Inject Vertx vertx;

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.GET, "^(?:/v1\\.\\d+)?/events$").order(-100).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (!RawRoutes.versionAccepted(ctx)) {
            return;
        }
        HttpServerResponse response = ctx.response();
        Instant since;
        Instant until;
        EventFilter filter;
        try {
            since = time(ctx.request().getParam("since"), "since");
            until = time(ctx.request().getParam("until"), "until");
            filter = filter(DockerFilters.parse(ctx.request().getParam("filters"), EventFilter.KEYS));
        } catch (DockerApiException e) {
            RawRoutes.error(response, e.status(), e.getMessage());
            return;
        }
        RawRoutes.dockerHeaders(response);
        response.setChunked(true).putHeader("Content-Type", "application/json");
        response.writeHead();
        vertx.executeBlocking(() -> {
            events.stream(since, until, filter, e -> write(response, e), response::closed);
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed() && !response.closed()) {
                LOG.warn("event stream failed", ar.cause());
            }
            if (!response.closed()) {
                response.end();
            }
        });
    }

    private static void write(HttpServerResponse response, DockerEvent e) throws IOException {
        if (response.closed()) {
            throw new IOException("client left");
        }
        try {
            response.write(Buffer.buffer(JSON.writeValueAsBytes(e.toJson())).appendByte((byte) '\n'));
        } catch (JsonProcessingException ex) {
            throw new IOException(ex);
        }
        while (response.writeQueueFull() && !response.closed()) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
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
