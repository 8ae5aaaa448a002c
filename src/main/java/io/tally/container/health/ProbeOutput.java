package io.tally.container.health;

import io.tally.runtime.shim.Attachment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A probe's stdout and stderr together, kept up to Docker's 4 KiB (then marked with "..."), read
 * from the probe's attach session until its process ends.
 */
final class ProbeOutput {
    static final int MAX_BYTES = 4096;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean truncated;
    private volatile Attachment attachment;

    /** Reads the session on a virtual thread until the process's output ends. */
    void readFrom(Attachment a) {
        attachment = a;
        Thread.ofPlatform().daemon().name("health-probe-output").start(() -> {
            try (a) {
                for (Attachment.Frame f = a.next(); f != null; f = a.next()) {
                    append(f.payload());
                }
            } catch (IOException e) {
                // the session broke: what was read is the output
            } finally {
                ended.countDown();
            }
        });
    }

    /** The session could not be opened: no output will come. */
    void unavailable() {
        ended.countDown();
    }

    /** @return whether the output ended within {@code limit} */
    boolean awaitEnd(Duration limit) throws InterruptedException {
        return ended.await(Math.max(0, limit.toNanos()), TimeUnit.NANOSECONDS);
    }

    void close() {
        Attachment a = attachment;
        if (a != null) {
            a.close();
        }
    }

    synchronized void append(byte[] payload) {
        int room = MAX_BYTES - bytes.size();
        if (payload.length > room) {
            truncated = true;
        }
        bytes.write(payload, 0, Math.max(0, Math.min(room, payload.length)));
    }

    synchronized String text() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return truncated ? s + "..." : s;
    }
}
