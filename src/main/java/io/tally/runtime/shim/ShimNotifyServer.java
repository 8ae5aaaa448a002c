package io.tally.runtime.shim;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The unix socket shims report exits on. A shim connects, writes one line and closes; when tallyd is
 * down the connect fails and the shim only logs it, since exit.json stays for tallyd to read later.
 */
public final class ShimNotifyServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShimNotifyServer.class);
    /** A shim writes one short line and closes at once; anything slower or longer is not a shim. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BYTES = 8192;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService executor;
    private final Consumer<ShimNotification> sink;

    private ShimNotifyServer(Path socket, ServerSocketChannel server, ExecutorService executor,
                             Consumer<ShimNotification> sink) {
        this.socket = socket;
        this.server = server;
        this.executor = executor;
        this.sink = sink;
    }

    /** Binds (replacing the file a crashed tallyd left) and starts accepting on the executor. */
    public static ShimNotifyServer listen(Path socket, ExecutorService executor, Consumer<ShimNotification> sink)
            throws IOException {
        if (!UnixSockets.fitsAddress(socket)) {
            throw new IOException("notify socket path " + socket + " is longer than a unix socket address allows ("
                    + UnixSockets.MAX_PATH_BYTES + " bytes); choose a shorter data root");
        }
        removeStale(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ShimNotifyServer notifyServer = new ShimNotifyServer(socket, server, executor, sink);
        executor.execute(notifyServer::acceptLoop);
        return notifyServer;
    }

    Path socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean answered;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            answered = true;
        } catch (IOException refused) {
            answered = false;
        }
        if (answered) {
            throw new IOException("something already listens on " + socket + " (another tallyd on this data root?)");
        }
        Files.delete(socket); // left by a tallyd that did not close it
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                executor.execute(() -> serve(connection));
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                LOG.warnf("accepting on %s: %s", socket, e.getMessage());
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warnf("no thread to serve a shim notification on %s: %s", socket, e.getMessage());
            }
        }
    }

    private void serve(SocketChannel connection) {
        try (connection) {
            String text = UnixSockets.readToEnd(connection, MAX_BYTES, READ_TIMEOUT);
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                ShimNotification.parse(line).ifPresentOrElse(this::deliver,
                        () -> LOG.warnf("ignoring a line on %s that no shim writes: %s", socket, line));
            }
        } catch (IOException e) {
            LOG.warnf("reading a shim notification on %s: %s", socket, e.getMessage());
        }
    }

    private void deliver(ShimNotification notification) {
        try {
            sink.accept(notification);
        } catch (RuntimeException e) {
            LOG.errorf(e, "handling shim notification %s", notification);
        }
    }
}
