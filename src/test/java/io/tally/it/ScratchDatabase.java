package io.tally.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/** A fresh database on the machine's PostgreSQL (127.0.0.1:5432, or TALLY_TEST_PG_URL), dropped afterwards. */
public final class ScratchDatabase implements AutoCloseable {
    private final String server;
    private final String name;

    private ScratchDatabase(String server, String name) {
        this.server = server;
        this.name = name;
    }

    public static ScratchDatabase create() throws SQLException {
        String server = System.getenv().getOrDefault("TALLY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String name = "tally_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + name);
        }
        return new ScratchDatabase(server, name);
    }

    public String url() {
        return server + name;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
