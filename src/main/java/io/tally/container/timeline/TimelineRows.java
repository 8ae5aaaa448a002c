package io.tally.container.timeline;

import io.tally.container.state.ContainerState;
import io.tally.container.state.ContainerStatus;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;

/** SQL of container_timeline and container_timeline_spec, in the caller's (JTA) transaction. */
final class TimelineRows {
    static final String COLUMNS = "container_id, name, image, image_id, state, created_at, started_at, finished_at, "
            + "pid, exit_code, oom_killed, error, restart_count";

    private final DataSource dataSource;

    TimelineRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void insertSpec(String containerId, String config, String hostConfig) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO container_timeline_spec (container_id, config, host_config) "
                     + "VALUES (?, ?, ?) ON CONFLICT (container_id) DO NOTHING")) {
            s.setString(1, containerId);
            s.setString(2, config);
            s.setString(3, hostConfig);
            s.executeUpdate();
        }
    }

    Optional<ContainerState> current(String containerId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM container_timeline "
                     + "WHERE container_id = ? AND valid_to_index IS NULL")) {
            s.setString(1, containerId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(read(r)) : Optional.empty();
            }
        }
    }

    /**
     * Ends the current state at this event and, unless {@code next} is null (removed), opens the next
     * one, in one statement. The end never precedes the start (clocks of concurrent commits).
     */
    void move(String containerId, ContainerState next, long index, Instant at) throws SQLException {
        String close = "UPDATE container_timeline SET valid_to_index = ?, valid_to = GREATEST(valid_from, ?) "
                + "WHERE container_id = ? AND valid_to_index IS NULL";
        String sql = next == null ? close
                : "WITH closed AS (" + close + ") INSERT INTO container_timeline (" + COLUMNS
                + ", valid_from_index, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, index);
            s.setTimestamp(2, Timestamp.from(at));
            s.setString(3, containerId);
            if (next != null) {
                bindState(s, 3, next, index, at);
            }
            s.executeUpdate();
        }
    }

    void open(ContainerState st, long index, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO container_timeline (" + COLUMNS
                     + ", valid_from_index, valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindState(s, 0, st, index, at);
            s.executeUpdate();
        }
    }

    private static void bindState(PreparedStatement s, int offset, ContainerState st, long index, Instant at) throws SQLException {
        s.setString(offset + 1, st.id());
        s.setString(offset + 2, st.name());
        s.setString(offset + 3, st.image());
        s.setString(offset + 4, st.imageId());
        s.setString(offset + 5, st.status().word());
        s.setTimestamp(offset + 6, Timestamp.from(st.createdAt()));
        setInstant(s, offset + 7, st.startedAt());
        setInstant(s, offset + 8, st.finishedAt());
        s.setLong(offset + 9, st.pid());
        s.setInt(offset + 10, st.exitCode());
        s.setBoolean(offset + 11, st.oomKilled());
        s.setString(offset + 12, st.error());
        s.setInt(offset + 13, st.restartCount());
        s.setLong(offset + 14, index);
        s.setTimestamp(offset + 15, Timestamp.from(at));
    }

    /** A state whose validity is known, as a replay writes it: complete, once (to == null: still current). */
    record Period(ContainerState state, long fromIndex, Instant from, Long toIndex, Instant to) {
    }

    void insertAll(java.util.List<Period> periods, java.util.List<String[]> specs) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement spec = c.prepareStatement("INSERT INTO container_timeline_spec (container_id, config, host_config) "
                     + "VALUES (?, ?, ?) ON CONFLICT (container_id) DO NOTHING");
             PreparedStatement row = c.prepareStatement("INSERT INTO container_timeline (" + COLUMNS
                     + ", valid_from_index, valid_from, valid_to_index, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (String[] s : specs) {
                spec.setString(1, s[0]);
                spec.setString(2, s[1]);
                spec.setString(3, s[2]);
                spec.addBatch();
            }
            spec.executeBatch();
            for (Period p : periods) {
                bindState(row, 0, p.state(), p.fromIndex(), p.from());
                if (p.toIndex() == null) {
                    row.setNull(16, Types.BIGINT);
                    row.setNull(17, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    row.setLong(16, p.toIndex());
                    row.setTimestamp(17, Timestamp.from(p.to()));
                }
                row.addBatch();
            }
            row.executeBatch();
        }
    }

    static ContainerState read(ResultSet r) throws SQLException {
        return new ContainerState(r.getString("container_id"), r.getString("name"), r.getString("image"), r.getString("image_id"),
                ContainerStatus.of(r.getString("state")), instant(r, "created_at"), instant(r, "started_at"),
                instant(r, "finished_at"), r.getLong("pid"), r.getInt("exit_code"), r.getBoolean("oom_killed"), r.getString("error"),
                r.getInt("restart_count"), false);
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static void setInstant(PreparedStatement s, int i, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setTimestamp(i, Timestamp.from(value));
        }
    }
}
