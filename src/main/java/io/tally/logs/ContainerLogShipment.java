package io.tally.logs;

import io.tally.runtime.logfile.LogFileId;

import io.tally.runtime.logfile.CriLog;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ships one container's log file to Kafka from its cursor: a bounded chunk per call, acknowledged by
 * the broker before the cursor moves. The container never waits for this; the file is the buffer.
 */
final class ContainerLogShipment {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ContainerLogShipment.class);
    /** Bytes of log read (and held) per batch: the memory bound of shipping one container. */
    static final int BATCH_BYTES = 1 << 20;

    private final String containerId;
    private final String containerName;
    private final Path logFile;
    private final Path cursorFile;
    private final String topic;
    private LogCursor cursor;
    /** Rotation deleted a file before all of it was shipped: the next line shipped says so. */
    private boolean gap;

    ContainerLogShipment(String containerId, String containerName, Path logFile, Path cursorFile, String topic) {
        this.containerId = containerId;
        this.containerName = containerName;
        this.logFile = logFile;
        this.cursorFile = cursorFile;
        this.topic = topic;
        this.cursor = LogCursor.read(cursorFile).orElse(LogCursor.START);
    }

    /**
     * Sends what was written since the last call, up to one batch per file.
     *
     * @return whether lines were shipped (the caller comes back sooner)
     * @throws IOException when Kafka did not take the batch; the cursor stays and the batch is sent again later
     */
    boolean shipOnce(Producer<String, byte[]> producer) throws IOException {
        List<Path> files = CriLog.files(logFile); // oldest first: container.log.N … .1, container.log
        int at = -1;
        for (int i = 0; i < files.size() && at < 0; i++) {
            if (cursor.file().sameFileAs(LogFileId.of(files.get(i)))) {
                at = i;
            }
        }
        if (at < 0) {
            if (files.isEmpty()) {
                return false;
            }
            if (cursor.file().exists()) {
                // the file we were in was rotated away before it was all shipped
                gap = true;
                LOG.warnf("Kafka log driver: container %s's log rotated away lines before they were shipped", containerId);
            }
            at = 0; // go on with the oldest file still kept
            cursor = new LogCursor(LogFileId.of(files.get(at)), 0, cursor.lines());
        }
        if (ship(producer, files.get(at))) {
            return true;
        }
        if (at < files.size() - 1) {
            // this file is complete (it was rotated): the next newer one follows
            cursor = new LogCursor(LogFileId.of(files.get(at + 1)), 0, cursor.lines());
            return true;
        }
        return false;
    }

    private boolean ship(Producer<String, byte[]> producer, Path file) throws IOException {
        List<byte[]> values = new ArrayList<>();
        long[] seq = {cursor.lines()};
        boolean afterGap = gap;
        long next = CriLog.readFrom(file, cursor.offset(), BATCH_BYTES,
                line -> values.add(LogLineRecord.json(containerId, containerName, ++seq[0], afterGap && values.isEmpty(), line)));
        LogFileId id = LogFileId.of(file);
        if (!cursor.file().sameFileAs(id)) {
            return true; // rotated while being read: what was read may be another file's; find it again
        }
        if (values.isEmpty()) {
            if (next != cursor.offset()) {
                advance(new LogCursor(id, next, cursor.lines()));
            }
            return false;
        }
        try {
            producer.beginTransaction();
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, containerId, value));
            }
            producer.commitTransaction(); // flushes; fails if any record failed
        } catch (RuntimeException e) {
            throw new IOException("Kafka did not take the log lines of container " + containerId + ": " + e.getMessage(), e);
        }
        advance(new LogCursor(id, next, seq[0]));
        gap = false;
        return true;
    }

    private void advance(LogCursor to) throws IOException {
        cursor = to;
        cursor.write(cursorFile);
    }
}
