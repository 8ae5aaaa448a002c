package io.tally.http.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

import java.util.concurrent.Callable;

/**
 * Docker's hijacked connection (attach, exec start): {@code 101 UPGRADED} with {@code Upgrade: tcp},
 * then a raw two-way pipe. A client's half-close must end only its input, so Netty is told to keep a
 * half-closed connection open and the session hears of the client's EOF.
 */
final class Hijack {
    private static final Logger LOG = Logger.getLogger(Hijack.class);

    /** What hears the client's EOF once the connection is upgraded. */
    interface Session {
        void clientInputEnded();
    }

    private Hijack() {
    }

    /**
     * Runs {@code check} (blocking, it may read the database) before anything is answered: its failure
     * becomes Docker's JSON error, since the CLI shows nothing useful once it got a 101.
     */
    static <T> Future<T> checkBeforeUpgrade(Vertx vertx, RoutingContext ctx, Callable<T> check) {
        return RawRoutes.blocking(vertx, ctx, check);
    }

    /**
     * Answers 101 (or, to a client that did not ask for an upgrade, 200 with the stream as a body that
     * ends when the connection closes, as Docker does) and hands the raw socket to {@code start}, which
     * returns the session that hears the client's EOF.
     */
    static void upgrade(RoutingContext ctx, boolean tty, java.util.function.Function<NetSocket, Session> start) {
        HttpServerRequest req = ctx.request();
        boolean upgradeAsked = req.getHeader("Upgrade") != null;
        RawRoutes.dockerHeaders(ctx.response());
        ctx.response().putHeader("Content-Type", tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream");
        if (upgradeAsked) {
            ctx.response().putHeader("Connection", "Upgrade").putHeader("Upgrade", "tcp");
        } else {
            ctx.response().putHeader("Connection", "close");
        }
        Channel channel = req.connection() instanceof ConnectionBase base ? base.channel() : null;
        ClientEof eof = new ClientEof();
        watchHalfClose(channel, eof);
        // Quarkus pauses requests for its body handling; the upgrade happens only once the body has ended.
        req.resume();
        PostUpgrade.toNetSocket(req, upgradeAsked).onComplete(sock -> {
            if (sock.failed()) {
                LOG.warnf(sock.cause(), "upgrade of %s failed: %s", req.path(), sock.cause().getMessage());
                return;
            }
            eof.deliverTo(start.apply(sock.result()));
        });
    }

    /** The client's EOF may come before its session exists (stdin at EOF at once): it is kept until then. */
    private static final class ClientEof {
        private boolean ended;
        private Session session;

        synchronized void ended() {
            ended = true;
            if (session != null) {
                session.clientInputEnded();
            }
        }

        synchronized void deliverTo(Session s) {
            session = s;
            if (ended) {
                s.clientInputEnded();
            }
        }
    }

    /** Netty closes a connection on the peer's FIN unless told otherwise; a client's EOF must only end its stdin. */
    private static void watchHalfClose(Channel channel, ClientEof eof) {
        if (channel == null) {
            return;
        }
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addFirst("tally-half-close", new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt instanceof ChannelInputShutdownEvent) {
                    eof.ended();
                }
                super.userEventTriggered(ctx, evt);
            }
        });
    }

    static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

}
