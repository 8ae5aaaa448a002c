package io.tally.http.transport;

import io.tally.runtime.ContainerRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attach sessions waiting for a process to start, by the container's id or an exec session's id; the
 * runtime connects them just before the process runs.
 */
@ApplicationScoped
public class PendingAttaches {
    @Inject ContainerRuntime runtime;

    private final Map<String, List<AttachSession>> waiting = new ConcurrentHashMap<>();

    public void hookIntoRuntime() {
        runtime.beforeStart(this::created);
    }

    void add(String containerId, AttachSession session) {
        waiting.computeIfAbsent(containerId, k -> new CopyOnWriteArrayList<>()).add(session);
    }

    /** The process will not run (its start failed): attached clients are released. */
    public void abort(String containerId) {
        List<AttachSession> sessions = waiting.remove(containerId);
        if (sessions != null) {
            sessions.forEach(AttachSession::close);
        }
    }

    /** The session no longer waits (its start is over, whether it reached the shim or not). */
    void abandon(String id, AttachSession session) {
        waiting.computeIfPresent(id, (k, list) -> {
            list.remove(session);
            return list.isEmpty() ? null : list;
        });
    }

    private void created(String containerId, Path controlSocket) {
        List<AttachSession> sessions = waiting.remove(containerId);
        if (sessions != null) {
            for (AttachSession s : sessions) {
                s.connect(controlSocket);
            }
        }
    }
}
