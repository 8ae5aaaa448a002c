package io.tally.http.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.quarkus.arc.Arc;
import io.tally.container.ContainerJson;
import io.tally.container.ContainerService;
import io.tally.container.query.ContainerView;
import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * {@code POST /containers/{id}/attach}: Docker's hijacked connection. After {@code 101 UPGRADED}
 * the socket carries the container's output (8-byte-header frames, or raw bytes for a TTY) and
 * raw stdin. A client's half-close ends only its input; the session ends when the process exits.
 * An attach made before start is connected to the shim before the process runs, so no output is lost.
 */
@ApplicationScoped
public class AttachRoute {
    private static final Logger LOG = Logger.getLogger(AttachRoute.class);

    @Inject ContainerService containers;
    @Inject ContainerRuntime runtime;
    @Inject PendingAttaches pending;
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
        boolean stdin = truthy(req.getParam("stdin"));
        boolean stdout = truthy(req.getParam("stdout"));
        boolean stderr = truthy(req.getParam("stderr"));
        vertx.<ContainerView>executeBlocking(() -> {
            var requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                return containers.require(id);
            } finally {
                requestContext.terminate();
            }
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                boolean notFound = ar.cause() instanceof DomainException d && d.kind() == DomainException.Kind.NOT_FOUND;
                RawRoutes.error(ctx.response(), notFound ? 404 : 500, ar.cause().getMessage());
                return;
            }
            ContainerView c = ar.result();
            Map<String, Object> config = ContainerJson.map(c.config);
            boolean tty = Boolean.TRUE.equals(config.get("Tty"));
            RawRoutes.dockerHeaders(ctx.response());
            ctx.response().putHeader("Content-Type", tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
            ctx.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "tcp");
            Channel channel = req.connection() instanceof ConnectionBase base ? base.channel() : null;
            // Quarkus pauses requests for its body handling; the upgrade happens only once the (empty) body has ended.
            req.resume();
            PostUpgrade.toNetSocket(req).onComplete(sock -> {
                if (sock.failed()) {
                    LOG.warnf(sock.cause(), "attach upgrade failed: %s", sock.cause().getMessage());
                    return;
                }
                AttachSession session = new AttachSession(sock.result(), tty, stdin, stdout, stderr);
                watchHalfClose(channel, session);
                if (c.running()) {
                    Thread.startVirtualThread(() -> session.connect(runtime.controlSocket(c.id)));
                } else {
                    pending.add(c.id, session);
                }
            });
        });
    }

    /** Netty closes a connection on the peer's FIN unless told otherwise; a client's EOF must only end its stdin. */
    private static void watchHalfClose(Channel channel, AttachSession session) {
        if (channel == null) {
            return;
        }
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addFirst("tally-half-close", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt instanceof ChannelInputShutdownEvent) {
                    session.clientInputEnded();
                }
                super.userEventTriggered(ctx, evt);
            }
        });
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

}
