package io.tally.projection;

import java.sql.SQLException;

/**
 * A replay handler that buffers its writes: the replayer tells it when to write them (every batch)
 * and when the stream has ended, so it can write what it still holds.
 */
public interface ReplayBatching {
    void flushBatch(boolean endOfStream) throws SQLException;
}
