package io.tally.http.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import io.tally.events.Actor;
import io.tally.runtime.host.HostUsers;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.UUID;

/**
 * Identifies who sent a request: on a unix socket the kernel tells the peer's uid, gid and pid
 * (SO_PEERCRED), which cannot be forged by the client; on tcp only the remote address is known.
 */
@ApplicationScoped
public class RequestActors {
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    @Inject HostUsers users;

    public Actor of(HttpServerRequest request) {
        String userAgent = request.getHeader("User-Agent");
        String requestId = request.getHeader(REQUEST_ID_HEADER);
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            requestId = UUID.randomUUID().toString();
        }
        Channel channel = request.connection() instanceof ConnectionBase base ? base.channel() : null;
        if (channel instanceof EpollDomainSocketChannel unix) {
            try {
                PeerCredentials peer = unix.peerCredentials();
                int gid = peer.gids().length > 0 ? peer.gids()[0] : -1;
                return new Actor("unix", peer.uid(), gid, peer.pid(), users.nameOf(peer.uid()), null, userAgent, requestId);
            } catch (IOException e) {
                return new Actor("unix", null, null, null, null, null, userAgent, requestId);
            }
        }
        String remote = request.remoteAddress() == null ? null : request.remoteAddress().toString();
        return new Actor("tcp", null, null, null, null, remote, userAgent, requestId);
    }
}
