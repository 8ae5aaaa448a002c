package io.tally.history;

import java.time.Instant;

/** A moment in the history: a time, or "after the event with this global index". */
public sealed interface PointInTime {
    boolean includes(StoredEvent event);

    /** Events stored at or before {@code time} (the store keeps milliseconds). */
    record AtTime(Instant time) implements PointInTime {
        @Override
        public boolean includes(StoredEvent event) {
            return !event.time().isAfter(time);
        }

        @Override
        public String toString() {
            return time.toString();
        }
    }

    /** Events up to and including global event sequence {@code globalIndex}. */
    record AfterGlobalIndex(long globalIndex) implements PointInTime {
        @Override
        public boolean includes(StoredEvent event) {
            return event.globalIndex() <= globalIndex;
        }

        @Override
        public String toString() {
            return "global event sequence " + globalIndex;
        }
    }
}
