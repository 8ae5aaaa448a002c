package io.tally.runtime.logfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;

/** {@link ContainerLogs} read from the CRI log files the shims write. */
public final class HostContainerLogs implements ContainerLogs {
    private final Function<String, Path> logFile;

    /** @param logFile a container's current log file by id */
    public HostContainerLogs(Function<String, Path> logFile) {
        this.logFile = logFile;
    }

    @Override
    public void readAll(String containerId, Consumer<LogLine> sink) throws IOException {
        CriLog.readAll(logFile.apply(containerId), sink);
    }

    @Override
    public long end(String containerId) throws IOException {
        Path file = logFile.apply(containerId);
        return Files.exists(file) ? Files.size(file) : 0;
    }

    @Override
    public long readFrom(String containerId, long offset, Consumer<LogLine> sink) throws IOException {
        return CriLog.readFrom(logFile.apply(containerId), offset, sink);
    }
}
