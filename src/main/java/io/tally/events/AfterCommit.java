package io.tally.events;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/** Side effects that must not happen for events that are rolled back: waking waiters, scheduling restarts. */
public final class AfterCommit {
    private AfterCommit() {
    }

    /** Runs {@code r} once the current unit of work has committed, or now when there is none (replays, tests). */
    public static void run(Runnable r) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(u -> r.run());
        } else {
            r.run();
        }
    }
}
