package io.tally.container.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets requests wait for a container's next exit, its end of running, or its removal (`docker wait`,
 * `docker stop`, `docker run`). Fed by the projection after each transaction commits.
 */
public final class ContainerStateWatch {
    public enum Condition { NOT_RUNNING, NEXT_EXIT, REMOVED }

    private record Waiter(Condition condition, CompletableFuture<Integer> result) {
    }

    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();

    /** Completes with the exit code; the caller checks the current state first for NOT_RUNNING. */
    public CompletableFuture<Integer> await(String containerId, Condition condition) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        waiters.computeIfAbsent(containerId, k -> new ArrayList<>()).add(new Waiter(condition, f));
        return f;
    }

    public void forget(String containerId, CompletableFuture<Integer> future) {
        List<Waiter> list = waiters.get(containerId);
        if (list != null) {
            synchronized (list) {
                list.removeIf(w -> w.result() == future);
            }
        }
    }

    void exited(String containerId, int exitCode, boolean restarting) {
        complete(containerId, exitCode, w -> w.condition() == Condition.NEXT_EXIT
                || (w.condition() == Condition.NOT_RUNNING && !restarting));
    }

    void removed(String containerId, int exitCode) {
        complete(containerId, exitCode, w -> true);
        waiters.remove(containerId);
    }

    private void complete(String containerId, int exitCode, java.util.function.Predicate<Waiter> which) {
        List<Waiter> list = waiters.get(containerId);
        if (list == null) {
            return;
        }
        synchronized (list) {
            list.removeIf(w -> {
                if (which.test(w)) {
                    w.result().complete(exitCode);
                    return true;
                }
                return false;
            });
        }
    }
}
