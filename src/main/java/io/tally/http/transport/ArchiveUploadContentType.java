package io.tally.http.transport;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code PUT /containers/{id}/archive}: Docker reads the body as a tar whatever the Content-Type
 * says, and clients rely on it (docker-java sends {@code Content-Type: APPLICATION_X_TAR}, the name
 * of its enum constant, which is no media type at all and which JAX-RS refuses with 415 before any
 * resource method runs). The header is set to what the body is before JAX-RS parses it.
 */
@ApplicationScoped
public class ArchiveUploadContentType {
    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.PUT, "^(?:/v1\\.\\d+)?/containers/[^/]+/archive$").order(-900).handler(ctx -> {
            ctx.request().headers().set("Content-Type", "application/x-tar");
            ctx.next();
        });
    }
}
