package io.tally.http.transport;

import io.tally.container.ContainerJson;
import io.tally.container.ContainerService;
import io.tally.container.query.ContainerView;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.logfile.ContainerLogs;
import io.tally.runtime.shim.Attachment;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * {@code POST /containers/{id}/attach}: Docker's hijacked connection. After {@code 101 UPGRADED}
 * the socket carries the container's output (8-byte-header frames, or raw bytes for a TTY) and
 * raw stdin. A client's half-close ends only its input; the session ends when the process exits.
 * An attach made before start is connected to the shim before the process runs, so no output is lost.
 * {@code logs=1} first replays the output written so far; {@code stream=0} ends the stream after that.
 */
@ApplicationScoped
public class AttachRoute {
    @Inject ContainerService containers;
    @Inject ContainerRuntime runtime;
    @Inject Attachment.Attacher attacher;
    @Inject PendingAttaches pending;
    @Inject ContainerLogs logs;
    @Inject Vertx vertx;

    void register(@Observes Router router) {
        router.routeWithRegex("^(?:/v1\\.\\d+)?/containers/([^/]+)/attach$").order(-100).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (!RawRoutes.versionAccepted(ctx)) {
            return;
        }
        HttpServerRequest req = ctx.request();
        String id = ctx.pathParam("param0");
        boolean stdin = Hijack.truthy(req.getParam("stdin"));
        boolean stdout = Hijack.truthy(req.getParam("stdout"));
        boolean stderr = Hijack.truthy(req.getParam("stderr"));
        boolean replayLogs = Hijack.truthy(req.getParam("logs"));
        boolean stream = Hijack.truthy(req.getParam("stream"));
        Hijack.checkBeforeUpgrade(vertx, ctx, () -> containers.require(id)).onSuccess(c -> {
            Map<String, Object> config = ContainerJson.map(c.config);
            boolean tty = Boolean.TRUE.equals(config.get("Tty"));
            Hijack.upgrade(ctx, tty, socket -> {
                AttachSession session = new AttachSession(socket, attacher, tty, stdin, stdout, stderr);
                if (!stream) {
                    // Writing may wait for the client: off the event loop.
                    Thread.startVirtualThread(() -> {
                        if (replayLogs) {
                            session.replay(logs, c.id);
                        }
                        session.endWithoutStream();
                    });
                } else if (c.running()) {
                    Thread.startVirtualThread(() -> {
                        if (replayLogs) {
                            session.replay(logs, c.id);
                        }
                        session.connect(runtime.controlSocket(c.id));
                    });
                } else {
                    // not started yet: nothing to replay; connected to the shim before the process runs
                    pending.add(c.id, session);
                }
                return session;
            });
        });
    }
}
