package io.tally.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the Axon event store tables directly, as an auditor with SQL access would. */
public final class StoredEvents {
    private StoredEvents() {
    }

    public record Row(long globalIndex, String eventId, String aggregateId, long sequence, String payloadType, String payload) {
        public String simpleType() {
            return payloadType.substring(payloadType.lastIndexOf('.') + 1);
        }
    }

    public static List<Row> all(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT global_index, event_identifier, aggregate_identifier, sequence_number, payload_type,"
                        + " convert_from(payload, 'UTF8') FROM domain_event_entry ORDER BY global_index")) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6)));
            }
        }
        return rows;
    }

    public static List<String> types(Connection c) throws SQLException {
        return all(c).stream().map(Row::simpleType).toList();
    }
}
