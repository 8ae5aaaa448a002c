package io.tally.projection;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * A SHA-256 over a read model's rows, table by table in key order, every column as PostgreSQL
 * renders it as text (NULL distinct from empty): equal digests mean equal rows, so a replay that
 * rebuilds the same model gives the same digest.
 */
@ApplicationScoped
public class ProjectionDigest {
    public record Digest(String name, String sha256, long rows) {
    }

    @Inject ReadModels models;
    @Inject DataSource dataSource;

    public Digest of(String name) {
        ReadModel model = models.named(name);
        // In a transaction: one consistent view of all tables, and PostgreSQL streams with a cursor.
        return QuarkusTransaction.requiringNew().call(() -> {
            MessageDigest sha = sha256();
            long rows = 0;
            try (Connection c = dataSource.getConnection()) {
                for (ReadModel.Table t : model.tables()) {
                    sha.update(("table " + t.name() + "\n").getBytes(StandardCharsets.UTF_8));
                    rows += digestTable(c, t, sha);
                }
            }
            return new Digest(model.name(), HexFormat.of().formatHex(sha.digest()), rows);
        });
    }

    private static long digestTable(Connection c, ReadModel.Table t, MessageDigest sha) throws SQLException {
        long rows = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM " + t.name() + " ORDER BY " + t.orderBy())) {
            s.setFetchSize(1000);
            try (ResultSet r = s.executeQuery()) {
                ResultSetMetaData meta = r.getMetaData();
                StringBuilder row = new StringBuilder();
                while (r.next()) {
                    row.setLength(0);
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String v = r.getString(i);
                        row.append(v == null ? "\\N" : v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")).append('\t');
                    }
                    row.append('\n');
                    sha.update(row.toString().getBytes(StandardCharsets.UTF_8));
                    rows++;
                }
            }
        }
        return rows;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
