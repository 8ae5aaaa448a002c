package io.tally.http.transport;

import io.tally.daemon.ListenAddress;
import io.tally.daemon.TallyConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Opens the API on every {@code -H} address. Quarkus' own listener is off: tallyd needs several
 * unix sockets and loopback ports with Docker's ownership rules, all served by Quarkus' router.
 * Listening starts last, once the engine is ready, and stops first on shutdown.
 */
@ApplicationScoped
public class ApiListeners {
    private static final Logger LOG = Logger.getLogger(ApiListeners.class);

    @Inject Vertx vertx;
    @Inject TallyConfig config;

    private volatile Router router;
    private final List<HttpServer> servers = new ArrayList<>();
    private final List<Path> sockets = new ArrayList<>();

    void router(@Observes Router router) {
        this.router = router;
    }

    public void listen() throws Exception {
        for (String value : config.hosts()) {
            ListenAddress address = ListenAddress.parse(value);
            switch (address) {
                case ListenAddress.Unix unix -> listenUnix(unix.path());
                case ListenAddress.Tcp tcp -> listen(SocketAddress.inetSocketAddress(tcp.port(), tcp.host()), value);
            }
        }
    }

    private void listenUnix(Path path) throws Exception {
        Files.createDirectories(path.getParent());
        if (Files.exists(path)) {
            if (someoneListensOn(path)) {
                throw new IllegalStateException("another daemon is already listening on unix://" + path);
            }
            Files.delete(path); // left behind by a tallyd that was killed
        }
        listen(SocketAddress.domainSocketAddress(path.toString()), "unix://" + path);
        sockets.add(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        GroupPrincipal group = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(config.socketGroup());
        Files.getFileAttributeView(path, PosixFileAttributeView.class).setGroup(group);
    }

    private void listen(SocketAddress address, String label) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(0))
                .requestHandler(router);
        try {
            server.listen(address).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + label + ": " + cause.getMessage(), cause);
        }
        servers.add(server);
        LOG.infof("API listening on %s", label);
    }

    private static boolean someoneListensOn(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public void close() {
        for (HttpServer server : servers) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("closing listener: %s", e.getMessage());
            }
        }
        for (Path socket : sockets) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                LOG.debugf("removing %s: %s", socket, e.getMessage());
            }
        }
    }
}
