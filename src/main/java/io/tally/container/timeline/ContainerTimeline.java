package io.tally.container.timeline;

import io.tally.container.state.ContainerState;
import io.tally.history.PointInTime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads container_timeline: every container as it was at a point of the history. */
@ApplicationScoped
public class ContainerTimeline {
    /** A container's state at the requested point, with its (unchanging) Config and HostConfig JSON. */
    public record Entry(ContainerState state, String config, String hostConfig) {
    }

    /** The containers that existed, and the moment the answer describes (for "Up 5 minutes" relative to it). */
    public record Snapshot(List<Entry> containers, Instant asOf) {
    }

    private static final String SELECT = "SELECT t.container_id, t.name, t.image, t.image_id, t.state, t.created_at, t.started_at, "
            + "t.finished_at, t.pid, t.exit_code, t.oom_killed, t.error, t.restart_count, s.config, s.host_config "
            + "FROM container_timeline t JOIN container_timeline_spec s ON s.container_id = t.container_id ";

    @Inject DataSource dataSource;

    public Snapshot at(PointInTime point) {
        try (Connection c = dataSource.getConnection()) {
            return switch (point) {
                case PointInTime.AtTime t -> new Snapshot(query(c, "WHERE tstzrange(t.valid_from, t.valid_to) @> ?::timestamptz", s ->
                        s.setTimestamp(1, Timestamp.from(t.time()))), t.time());
                case PointInTime.AfterGlobalIndex e -> new Snapshot(query(c, "WHERE int8range(t.valid_from_index, t.valid_to_index) @> ?::bigint", s ->
                        s.setLong(1, e.globalIndex())), timeOf(c, e.globalIndex()).orElseGet(Instant::now));
            };
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the container timeline: " + e.getMessage(), e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    private static List<Entry> query(Connection c, String where, Binder binder) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(SELECT + where + " ORDER BY t.created_at DESC, t.container_id")) {
            binder.bind(s);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    entries.add(new Entry(TimelineRows.read(r), r.getString("config"), r.getString("host_config")));
                }
            }
        }
        return entries;
    }

    /** When the last event up to N was stored; empty at or past the head (the answer is then "now"). */
    private static Optional<Instant> timeOf(Connection c, long globalIndex) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT time_stamp FROM domain_event_entry WHERE global_index = "
                + "(SELECT MAX(global_index) FROM domain_event_entry WHERE global_index <= ?) "
                + "AND global_index < (SELECT MAX(global_index) FROM domain_event_entry)")) {
            s.setLong(1, globalIndex);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Instant.parse(r.getString(1)));
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            }
        }
    }
}
