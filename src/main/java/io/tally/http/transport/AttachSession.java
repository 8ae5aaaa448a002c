package io.tally.http.transport;

import io.tally.runtime.logfile.ContainerLogs;
import io.tally.runtime.shim.Attachment;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attached client: bridges its hijacked socket to the container's shim. Output frames become
 * Docker frames ({@code [stream 0 0 0][len32]payload}) or raw bytes for a TTY; stdin that arrives
 * before the shim is reachable is held and sent first.
 */
final class AttachSession implements Hijack.Session {
    private static final Logger LOG = Logger.getLogger(AttachSession.class);

    private final NetSocket client;
    private final boolean tty;
    private final boolean stdin;
    private final boolean stdout;
    private final boolean stderr;
    private final ByteArrayOutputStream earlyInput = new ByteArrayOutputStream();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Attachment.Attacher attacher;
    private Attachment shim;
    private boolean inputEnded;
    private CompletionStage<String> epilogue = CompletableFuture.completedFuture(null);

    AttachSession(NetSocket client, Attachment.Attacher attacher, boolean tty, boolean stdin, boolean stdout, boolean stderr) {
        this.client = client;
        this.attacher = attacher;
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

    /**
     * What must happen before the client's stream ends: an exec session waits until its exit code is
     * recorded (the CLI asks for it as soon as the stream closes); a text it yields is sent as the last
     * output on stdout, the way Docker reports an exec that could not start.
     */
    void endWith(CompletionStage<String> epilogue) {
        this.epilogue = epilogue;
    }

    /** Ends a session that never reached a shim (its process could not be set up), after its epilogue. */
    void endUnconnected() {
        synchronized (this) {
            if (shim != null) {
                return; // the shim's final frame ends it
            }
        }
        end();
    }

    /** Connects to the shim (blocking), sends what the client typed meanwhile, then pumps output on a virtual thread. */
    void connect(Path controlSocket) {
        try {
            Attachment attachment = attacher.attach(controlSocket, stdin, stdout, stderr);
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

    /** {@code logs=1}: the output the container wrote so far, framed like live output, before any live output. */
    void replay(ContainerLogs logs, String containerId) {
        try {
            logs.readAll(containerId, line -> {
                boolean isErr = "stderr".equals(line.stream());
                if (isErr ? stderr : stdout) {
                    send(isErr ? Attachment.STDERR : Attachment.STDOUT, line.content());
                }
            });
        } catch (IOException e) {
            LOG.debugf("attach logs of %s: %s", containerId, e.getMessage());
        }
    }

    /** {@code stream=0}: the session carries no live output, so it ends once what was asked for is sent. */
    void endWithoutStream() {
        end();
    }

    private void clientInput(Buffer data) {
        if (!stdin) {
            return;
        }
        Attachment s;
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
    @Override
    public void clientInputEnded() {
        Attachment s;
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
            Attachment.Frame frame;
            while ((frame = shim.next()) != null) {
                send(frame.stream(), frame.payload());
            }
        } catch (IOException e) {
            LOG.debugf("attach output: %s", e.getMessage());
        } finally {
            closeShim();
            end();
        }
    }

    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        String last = null;
        try {
            last = epilogue.toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("session epilogue: %s", e.getMessage());
        }
        if (last != null) {
            send(Attachment.STDOUT, (last + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        client.end();
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
