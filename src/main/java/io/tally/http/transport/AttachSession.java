package io.tally.http.transport;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attached client: bridges its hijacked socket to the container's tally-shim. Shim frames
 * ({@code [stream][len32]payload}) become Docker frames ({@code [stream 0 0 0][len32]payload}) or raw
 * bytes for a TTY; stdin that arrives before the shim is reachable is held and sent first.
 */
final class AttachSession {
    private static final Logger LOG = Logger.getLogger(AttachSession.class);
    private static final int EXIT_STREAM = 3;

    private final NetSocket client;
    private final boolean tty;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final ByteArrayOutputStream earlyInput = new ByteArrayOutputStream();
    private SocketChannel shim;
    private boolean inputEnded;

    AttachSession(NetSocket client, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        this.client = client;
        this.tty = tty;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        client.handler(this::clientInput);
        client.closeHandler(v -> closeShim());
    }

    void close() {
        closeShim();
        client.close();
    }

    /** Connects to the shim (blocking): sends ATTACH, waits for OK, then pumps output on a virtual thread. */
    void connect(Path controlSocket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(controlSocket));
            ch.write(ByteBuffer.wrap(("ATTACH " + (stdin ? 1 : 0) + " " + (stdout ? 1 : 0) + " " + (stderr ? 1 : 0) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            String reply = readLine(ch);
            if (!"OK".equals(reply)) {
                throw new IOException("shim refused attach: " + reply);
            }
            byte[] held;
            boolean ended;
            synchronized (this) {
                shim = ch;
                held = earlyInput.toByteArray();
                ended = inputEnded;
            }
            if (held.length > 0) {
                writeFully(ch, ByteBuffer.wrap(held));
            }
            if (ended) {
                ch.shutdownOutput();
            }
            Thread.startVirtualThread(this::pumpOutput);
        } catch (IOException e) {
            LOG.debugf("attach to %s failed: %s", controlSocket, e.getMessage());
            client.close();
        }
    }

    private void clientInput(Buffer data) {
        if (!stdin) {
            return;
        }
        SocketChannel ch;
        synchronized (this) {
            ch = shim;
            if (ch == null) {
                earlyInput.writeBytes(data.getBytes());
                return;
            }
        }
        try {
            writeFully(ch, ByteBuffer.wrap(data.getBytes()));
        } catch (IOException e) {
            LOG.debugf("stdin to shim: %s", e.getMessage());
        }
    }

    /** The client shut down its write side: its input is over, the session goes on until the process exits. */
    void clientInputEnded() {
        SocketChannel ch;
        synchronized (this) {
            inputEnded = true;
            ch = shim;
        }
        if (ch != null) {
            try {
                ch.shutdownOutput();
            } catch (IOException e) {
                LOG.debugf("half-close to shim: %s", e.getMessage());
            }
        }
    }

    private void pumpOutput() {
        ByteBuffer header = ByteBuffer.allocate(5);
        try {
            while (true) {
                header.clear();
                if (!readFully(shim, header)) {
                    break;
                }
                int stream = header.get(0) & 0xff;
                int length = header.getInt(1);
                ByteBuffer payload = ByteBuffer.allocate(length);
                if (!readFully(shim, payload)) {
                    break;
                }
                if (stream == EXIT_STREAM) {
                    break;
                }
                send(stream, payload.array());
            }
        } catch (IOException e) {
            LOG.debugf("attach output: %s", e.getMessage());
        } finally {
            closeShim();
            client.end();
        }
    }

    private void send(int stream, byte[] payload) {
        Buffer out = Buffer.buffer(payload.length + 8);
        if (!tty) {
            out.appendByte((byte) stream).appendByte((byte) 0).appendByte((byte) 0).appendByte((byte) 0).appendInt(payload.length);
        }
        out.appendBytes(payload);
        awaitRoom();
        client.write(out);
    }

    /** Back-pressure: a slow client slows this pump (the shim buffers and drops slow attachers on its side). */
    private void awaitRoom() {
        if (!client.writeQueueFull()) {
            return;
        }
        CountDownLatch drained = new CountDownLatch(1);
        client.drainHandler(v -> drained.countDown());
        try {
            drained.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void closeShim() {
        if (shim != null) {
            try {
                shim.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static String readLine(SocketChannel ch) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.length() < 256) {
            one.clear();
            if (ch.read(one) < 0) {
                break;
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return line.toString();
            }
            line.append(c);
        }
        return line.toString();
    }

    private static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
