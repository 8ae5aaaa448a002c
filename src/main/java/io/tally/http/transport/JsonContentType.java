package io.tally.http.transport;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The docker CLI reads a body as a JSON message stream (load, import, pull) only when the
 * Content-Type is exactly {@code application/json}; the JAX-RS layer appends a charset, so the
 * header is normalised just before it is sent.
 */
@ApplicationScoped
public class JsonContentType {
    void register(@Observes Router router) {
        router.route().order(-1000).handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                String type = ctx.response().headers().get("Content-Type");
                if (type != null && type.startsWith("application/json;")) {
                    ctx.response().putHeader("Content-Type", "application/json");
                }
            });
            ctx.next();
        });
    }
}
