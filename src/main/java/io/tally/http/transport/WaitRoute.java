package io.tally.http.transport;

import io.tally.container.ContainerService;
import io.tally.container.query.ContainerStateWatch;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;


/**
 * {@code POST /containers/{id}/wait}: the 200 and its headers must reach the client at once (the
 * CLI only starts the container after they arrive), the body when the condition holds. That needs
 * the Vert.x response itself, so this route sits in front of the JAX-RS resources.
 */
@ApplicationScoped
public class WaitRoute {
    @Inject ContainerService containers;
    @Inject Vertx vertx;

    void register(@Observes Router router) {
        router.routeWithRegex(HttpMethod.POST, "^(?:/v1\\.\\d+)?/containers/([^/]+)/wait$").order(-100).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (!RawRoutes.versionAccepted(ctx)) {
            return;
        }
        String id = ctx.pathParam("param0");
        ContainerStateWatch.Condition condition = switch (String.valueOf(ctx.request().getParam("condition"))) {
            case "next-exit" -> ContainerStateWatch.Condition.NEXT_EXIT;
            case "removed" -> ContainerStateWatch.Condition.REMOVED;
            default -> ContainerStateWatch.Condition.NOT_RUNNING;
        };
        RawRoutes.blocking(vertx, ctx, () -> containers.await(id, condition)).onSuccess(result -> {
            HttpServerResponse response = ctx.response();
            RawRoutes.dockerHeaders(response);
            response.setChunked(true).putHeader("Content-Type", "application/json");
            response.writeHead();
            ctx.request().connection().closeHandler(v -> result.cancel(false));
            result.whenComplete((code, failure) -> {
                if (failure == null && !response.closed()) {
                    vertx.runOnContext(v -> response.end("{\"Error\":null,\"StatusCode\":" + code + "}\n"));
                }
            });
        });
    }
}
