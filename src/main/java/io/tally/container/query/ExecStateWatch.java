package io.tally.container.query;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a request wait until an exec session's end is recorded: `docker exec` reads the exit code
 * right after its stream closes, so the stream must not close before. Fed by the projection after commit.
 */
public final class ExecStateWatch {
    private final Map<String, CompletableFuture<Integer>> waiters = new ConcurrentHashMap<>();

    /** Completes with the exit code once the exec's end (or failed start) is committed; register before starting. */
    public CompletableFuture<Integer> await(String execId) {
        return waiters.computeIfAbsent(execId, k -> new CompletableFuture<>());
    }

    public void forget(String execId) {
        waiters.remove(execId);
    }

    void ended(String execId, int exitCode) {
        CompletableFuture<Integer> f = waiters.remove(execId);
        if (f != null) {
            f.complete(exitCode);
        }
    }
}
