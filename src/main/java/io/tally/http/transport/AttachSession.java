package io.tally.http.transport;

import io.tally.runtime.ShimAttachment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One attached client: bridges its hijacked socket to the container's shim. Output frames become
 * Docker frames ({@code [stream 0 0 0][len32]payload}) or raw bytes for a TTY; stdin that arrives
 * before the shim is reachable is held and sent first.
 */
final class AttachSession {
    private static final Logger LOG = Logger.getLogger(AttachSession.class);

    private final NetSocket client;
    private final boolean tty;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final ByteArrayOutputStream earlyInput = new ByteArrayOutputStream();
    private ShimAttachment shim;
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

    /** Ends the session before the process ran, with the reason on stderr (as Docker's exec does). */
    void fail(String message) {
        if (message != null) {
            send(ShimAttachment.STDERR, (message + "\n").getBytes(StandardCharsets.UTF_8));
        }
        closeShim();
        client.end();
    }

    /** Connects to the shim (blocking), sends what the client typed meanwhile, then pumps output on a virtual thread. */
    void connect(Path controlSocket) {
        try {
            ShimAttachment attachment = ShimAttachment.open(controlSocket, stdin, stdout, stderr);
            byte[] held;
            boolean ended;
            synchronized (this) {
                shim = attachment;
                held = earlyInput.toByteArray();
                ended = inputEnded;
            }
            if (held.length > 0) {
                attachment.writeStdin(held);
            }
            if (ended) {
                attachment.endStdin();
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
        ShimAttachment s;
        synchronized (this) {
            s = shim;
            if (s == null) {
                earlyInput.writeBytes(data.getBytes());
                return;
            }
        }
        try {
            s.writeStdin(data.getBytes());
        } catch (IOException e) {
            LOG.debugf("stdin to shim: %s", e.getMessage());
        }
    }

    /** The client shut down its write side: its input is over, the session goes on until the process exits. */
    void clientInputEnded() {
        ShimAttachment s;
        synchronized (this) {
            inputEnded = true;
            s = shim;
        }
        if (s != null) {
            try {
                s.endStdin();
            } catch (IOException e) {
                LOG.debugf("half-close to shim: %s", e.getMessage());
            }
        }
    }

    private void pumpOutput() {
        try {
            ShimAttachment.Frame frame;
            while ((frame = shim.next()) != null) {
                send(frame.stream(), frame.payload());
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
            shim.close();
        }
    }
}
