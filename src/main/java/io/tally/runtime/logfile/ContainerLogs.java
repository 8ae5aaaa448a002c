package io.tally.runtime.logfile;

import java.io.IOException;
import java.util.function.Consumer;

/** A container's output as its tally-shim logged it, rotated files included, line by line. */
public interface ContainerLogs {

    /** Every line still on the host, oldest first. */
    void readAll(String containerId, Consumer<LogLine> sink) throws IOException;

    /** Where the current log file ends now: the offset to follow it from. */
    long end(String containerId) throws IOException;

    /**
     * The lines written since {@code offset} of the current file (from its start if it was rotated meanwhile).
     *
     * @return the offset reached, at a record boundary
     */
    long readFrom(String containerId, long offset, Consumer<LogLine> sink) throws IOException;
}
