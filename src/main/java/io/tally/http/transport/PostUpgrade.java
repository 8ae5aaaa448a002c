package io.tally.http.transport;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.Http1xServerRequest;
import io.vertx.core.net.NetSocket;

import java.lang.reflect.Field;

/**
 * Docker hijacks POST requests ({@code /containers/{id}/attach}, {@code /exec/{id}/start}); Vert.x
 * 4 upgrades only GET and CONNECT. The request's method is presented as GET for the upgrade itself;
 * everything else (routing, the 101 with Connection/Upgrade headers) is Vert.x's own. A client that
 * did not ask for an upgrade gets Docker's other answer, 200 and then the raw stream: the request is
 * presented as CONNECT, for which Vert.x answers 200 and hands over the socket.
 */
final class PostUpgrade {
    private PostUpgrade() {
    }

    static Future<NetSocket> toNetSocket(HttpServerRequest request, boolean upgradeAsked) {
        Http1xServerRequest http1 = unwrap(request);
        if (http1 == null) {
            return Future.failedFuture("connection upgrade needs HTTP/1.1");
        }
        try {
            Field method = Http1xServerRequest.class.getDeclaredField("method");
            method.setAccessible(true);
            method.set(http1, upgradeAsked ? HttpMethod.GET : HttpMethod.CONNECT);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Future.failedFuture("cannot upgrade this connection: " + e);
        }
        return http1.toNetSocket();
    }

    /** Vert.x Web and Quarkus wrap the request; the wrappers keep the original in a field. */
    private static Http1xServerRequest unwrap(HttpServerRequest request) {
        Object current = request;
        for (int depth = 0; depth < 8 && current != null; depth++) {
            if (current instanceof Http1xServerRequest r) {
                return r;
            }
            current = delegateOf(current);
        }
        return null;
    }

    private static Object delegateOf(Object wrapper) {
        for (Class<?> c = wrapper.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (HttpServerRequest.class.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        return f.get(wrapper);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }
}
