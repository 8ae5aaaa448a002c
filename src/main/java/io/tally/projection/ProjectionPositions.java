package io.tally.projection;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** projection_position: the last global index each projection applied, and the store's head. */
@ApplicationScoped
public class ProjectionPositions {
    public record Position(String name, long position, Instant replayedAt) {
    }

    @Inject DataSource dataSource;

    /**
     * Moves a projection forward in the caller's transaction. The row lock this takes is held until
     * the transaction ends: that is what makes a concurrent command wait for a replay (see the replayer).
     */
    public void advance(String name, long globalIndex) {
        update("UPDATE projection_position SET position = GREATEST(position, ?) WHERE name = ?", globalIndex, name);
    }

    /** Locks the projection's row for the rest of the transaction and returns its position. */
    public long lock(String name) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT position FROM projection_position WHERE name = ? FOR UPDATE")) {
            s.setString(1, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("projection " + name + " has no position row (migration V4)");
                }
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot lock projection " + name + ": " + e.getMessage(), e);
        }
    }

    public void replayed(String name, long position, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE projection_position SET position = ?, replayed_at = ? WHERE name = ?")) {
            s.setLong(1, position);
            s.setTimestamp(2, Timestamp.from(at));
            s.setString(3, name);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the replay of " + name + ": " + e.getMessage(), e);
        }
    }

    public Map<String, Position> all() {
        Map<String, Position> all = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name, position, replayed_at FROM projection_position ORDER BY name");
             ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Timestamp replayed = r.getTimestamp(3);
                all.put(r.getString(1), new Position(r.getString(1), r.getLong(2), replayed == null ? null : replayed.toInstant()));
            }
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read projection positions: " + e.getMessage(), e);
        }
    }

    /** The global index of the newest stored event (0 for an empty store). */
    public long head() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(global_index), 0) FROM domain_event_entry");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the event store's head: " + e.getMessage(), e);
        }
    }

    private void update(String sql, long value, String name) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, value);
            s.setString(2, name);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot move projection " + name + ": " + e.getMessage(), e);
        }
    }
}
