package io.tally.runtime.shim;

import org.jboss.logging.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Listeners of shim notifications. The notify socket listens from the runtime's construction on, before
 * tallyd has registered anyone (shims of the previous tallyd may report right away); what arrives
 * meanwhile is kept (bounded) for the first listener rather than dropped.
 */
public final class BufferedListeners<E> {

    private static final Logger LOG = Logger.getLogger(BufferedListeners.class);

    private final List<Consumer<E>> listeners = new CopyOnWriteArrayList<>();
    private final Deque<E> pending = new ArrayDeque<>();
    private final int maxPending;

    public BufferedListeners(int maxPending) {
        this.maxPending = maxPending;
    }

    public void add(Consumer<E> listener) {
        List<E> replay = List.of();
        synchronized (this) {
            listeners.add(listener);
            if (listeners.size() == 1) {
                replay = new ArrayList<>(pending);
                pending.clear();
            }
        }
        replay.forEach(event -> call(listener, event));
    }

    public void publish(E event) {
        synchronized (this) {
            if (listeners.isEmpty()) {
                if (pending.size() == maxPending) {
                    pending.removeFirst(); // the exit files still tell; reconciliation reads them
                }
                pending.addLast(event);
                return;
            }
        }
        listeners.forEach(listener -> call(listener, event));
    }

    private static <E> void call(Consumer<E> listener, E event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "exit listener failed on %s", event);
        }
    }
}
