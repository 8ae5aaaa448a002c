package io.tally.http.transport;

import io.quarkus.arc.Arc;
import io.tally.events.DomainException;
import io.tally.http.ErrorResponses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

import io.tally.daemon.TallyVersion;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the Vert.x-level routes (wait, and later attach and exec) share with the JAX-RS filters. */
final class RawRoutes {
    private static final Pattern VERSION = Pattern.compile("^/v(\\d+)\\.(\\d+)/");

    private RawRoutes() {
    }

    static boolean versionAccepted(RoutingContext ctx) {
        Matcher m = VERSION.matcher(ctx.request().path());
        if (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            String[] max = TallyVersion.API_VERSION.split("\\.");
            if (major > Integer.parseInt(max[0]) || (major == Integer.parseInt(max[0]) && minor > Integer.parseInt(max[1]))) {
                error(ctx.response(), 400, "client version " + major + "." + minor + " is too new. Maximum supported API version is " + TallyVersion.API_VERSION);
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code work} off the event loop with a request context (it may read the database); a failure
     * is answered as Docker's JSON error, so callers handle only success.
     */
    static <T> Future<T> blocking(Vertx vertx, RoutingContext ctx, Callable<T> work) {
        return vertx.<T>executeBlocking(() -> {
            var requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                return work.call();
            } finally {
                requestContext.terminate();
            }
        }, false).onFailure(cause -> error(ctx.response(),
                cause instanceof DomainException d ? ErrorResponses.status(d) : 500, cause.getMessage()));
    }

    static void dockerHeaders(HttpServerResponse r) {
        r.putHeader("Api-Version", TallyVersion.API_VERSION);
        r.putHeader("Docker-Experimental", "false");
        r.putHeader("Ostype", "linux");
        r.putHeader("Server", "Tally/" + TallyVersion.version() + " (linux)");
    }

    static void error(HttpServerResponse r, int status, String message) {
        dockerHeaders(r);
        r.setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("message", message).encode() + "\n");
    }
}
