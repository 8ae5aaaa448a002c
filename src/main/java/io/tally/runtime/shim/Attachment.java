package io.tally.runtime.shim;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One attach session on a process's tally-shim: its output frame by frame, and its stdin. A
 * container's and an exec session's shims speak alike.
 */
public interface Attachment extends AutoCloseable {
    int STDOUT = 1;
    int STDERR = 2;

    /** One piece of output; {@code stream} is {@link #STDOUT} or {@link #STDERR}. */
    record Frame(int stream, byte[] payload) {
    }

    /** The next output frame, or null once the process has exited (or the shim went away). */
    Frame next() throws IOException;

    void writeStdin(byte[] data) throws IOException;

    /** The client's input is over; with --stdin-once the shim closes the process's stdin. */
    void endStdin() throws IOException;

    @Override
    void close();

    /** Opens attach sessions. */
    @FunctionalInterface
    interface Attacher {
        /** @param controlSocket the shim's control socket, as the container runtime's hooks and controlSocket name it */
        Attachment attach(Path controlSocket, boolean stdin, boolean stdout, boolean stderr) throws IOException;
    }
}
