package io.tally.runtime.shim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Line exchanges over unix stream sockets with a deadline: blocking unix channels have no read timeout,
 * and neither a wedged shim nor a stray client may hold a tallyd thread forever.
 */
public final class UnixSockets {

    /** sun_path is 108 bytes, NUL included. */
    static final int MAX_PATH_BYTES = 107;

    private UnixSockets() {
    }

    static boolean fitsAddress(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH_BYTES;
    }

    /** Connects, sends {@code line + "\n"} and returns everything the peer sends until it closes. */
    static String request(Path socket, String line, int maxReplyBytes, Duration timeout) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            return readToEnd(channel, maxReplyBytes, timeout);
        }
    }

    /** Reads until end of stream, at most {@code maxBytes}, failing once {@code timeout} has passed. */
    static String readToEnd(SocketChannel channel, int maxBytes, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        channel.configureBlocking(false);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no complete reply within " + timeout.toMillis() + " ms");
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int n;
                while ((n = channel.read(buffer.clear())) > 0) {
                    text.write(buffer.array(), 0, n);
                    if (text.size() > maxBytes) {
                        throw new IOException("reply longer than " + maxBytes + " bytes");
                    }
                }
                if (n < 0) {
                    return text.toString(StandardCharsets.UTF_8);
                }
            }
        }
    }
}
