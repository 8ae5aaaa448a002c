package io.tally.http.transport;

import io.tally.runtime.shim.Attachment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.Arc;
import io.tally.container.Container;
import io.tally.container.ExecService;
import io.tally.container.api.ExecConfig;
import io.tally.container.query.ExecView;
import io.tally.events.Actor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /exec/{id}/start}, every form of it. Attached, the connection is hijacked as Docker
 * does: with {@code Upgrade: tcp} (the CLI) it answers 101; without it (docker-java when it has no
 * stdin to send, Testcontainers' execInContainer) it answers 200 and streams the output until it closes
 * the connection. The start is checked before that answer (a client shows nothing useful after it),
 * the session is registered to be connected to the exec's shim before its process runs, and the
 * stream ends only once the exit code is recorded, so an inspect right after the stream sees it.
 * Detached ({@code "Detach": true}, never with an upgrade), it starts the exec and answers 200.
 */
@ApplicationScoped
public class ExecStartRoute {
    private static final Logger LOG = Logger.getLogger(ExecStartRoute.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject ExecService execs;
    @Inject PendingAttaches pending;
    @Inject Attachment.Attacher attacher;
    @Inject RequestActors actors;
    @Inject Vertx vertx;

    private record Startable(ExecView exec, ExecConfig config) {
    }

    void register(@Observes Router router) {
        router.routeWithRegex("^(?:/v1\\.\\d+)?/exec/([^/]+)/start$").order(-100).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (!RawRoutes.versionAccepted(ctx)) {
            return;
        }
        boolean upgrade = req.getHeader("Upgrade") != null;
        String id = ctx.pathParam("param0");
        Actor actor = actors.of(req);
        req.resume();
        req.body().onFailure(e -> RawRoutes.error(ctx.response(), 400, "cannot read the request body: " + e.getMessage()))
                .onSuccess(body -> {
                    if (detachRequested(body.getBytes())) {
                        if (upgrade) {
                            RawRoutes.error(ctx.response(), 400, "a detached exec start must not ask for a connection upgrade");
                        } else {
                            startDetached(ctx, id, actor);
                        }
                        return;
                    }
                    Hijack.checkBeforeUpgrade(vertx, ctx, () -> {
                        ExecView exec = execs.requireStartable(id);
                        return new Startable(exec, execs.config(exec));
                    }).onSuccess(s -> Hijack.upgrade(ctx, s.config().tty(), socket -> {
                        ExecConfig c = s.config();
                        AttachSession session = new AttachSession(socket, attacher, c.tty(), c.attachStdin(), c.attachStdout(), c.attachStderr());
                        pending.add(id, session);
                        Thread.startVirtualThread(() -> run(id, session, actor));
                        return session;
                    }));
                });
    }

    private void startDetached(RoutingContext ctx, String id, Actor actor) {
        RawRoutes.blocking(vertx, ctx, () -> {
            execs.requireStartable(id);
            return execs.start(id, true, actor);
        }).onSuccess(outcome -> {
            if (!outcome.started()) {
                RawRoutes.error(ctx.response(), 400, outcome.error());
                return;
            }
            RawRoutes.dockerHeaders(ctx.response());
            ctx.response().setStatusCode(200).end();
        });
    }

    /** Starts the exec; the session ends after the recorded end, with the error text if it could not start. */
    private void run(String execId, AttachSession session, Actor actor) {
        CompletableFuture<String> epilogue = new CompletableFuture<>();
        session.endWith(epilogue);
        CompletableFuture<Integer> end = execs.awaitEnd(execId);
        var requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            Container.StartOutcome outcome = execs.start(execId, false, actor);
            if (outcome.started()) {
                end.whenComplete((code, e) -> epilogue.complete(null));
                return;
            }
            epilogue.complete(outcome.error());
        } catch (RuntimeException e) {
            LOG.debugf("exec %s did not start: %s", execId, e.getMessage());
            execs.forgetWaiter(execId);
            epilogue.complete(e.getMessage());
        } finally {
            requestContext.terminate();
            pending.abandon(execId, session);
        }
        session.endUnconnected();
    }

    private static boolean detachRequested(byte[] body) {
        if (body.length == 0) {
            return false;
        }
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.path("Detach").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }
}
