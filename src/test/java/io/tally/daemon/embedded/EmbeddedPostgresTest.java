package io.tally.daemon.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(180)
class EmbeddedPostgresTest {

    @TempDir
    Path tmp;

    @Test
    void keepsDataAcrossRestartsWithDurableSettings() throws Exception {
        Path dir = tmp.resolve("postgres");

        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir)) {
            System.out.printf("embedded postgres cold start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertTrue(pg.jdbcUrl().matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/tally"), pg.jdbcUrl());
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                assertEquals("on", show(s, "fsync"));
                assertEquals("on", show(s, "synchronous_commit"));
                assertEquals("on", show(s, "full_page_writes"));
                assertEquals("127.0.0.1", show(s, "listen_addresses"));
                assertEquals(dir.resolve("run").toString(), show(s, "unix_socket_directories"));
                s.execute("CREATE TABLE note (id int PRIMARY KEY, text varchar NOT NULL)");
                s.execute("INSERT INTO note VALUES (1, 'kept')");
            }
            assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close(),
                    "tcp connections need the password");
        }
        assertTrue(Files.isDirectory(dir.resolve("bin")), "binaries are extracted under the given directory");

        long t1 = System.nanoTime();
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir);
        try {
            System.out.printf("embedded postgres warm start: %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                assertEquals("kept", queryString(s, "SELECT text FROM note WHERE id = 1"));
                assertEquals("on", show(s, "fsync"));
            }
        } finally {
            pg.close();
        }
        pg.close(); // idempotent
        assertFalse(Files.exists(dir.resolve("data/postmaster.pid")), "server stopped");
    }

    @Test
    void refusesADirectoryInUse() throws Exception {
        Path dir = tmp.resolve("postgres");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir)) {
            IOException e = assertThrows(IOException.class, () -> EmbeddedPostgres.start(dir).close());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            try (Connection c = connect(pg); Statement s = c.createStatement()) {
                assertEquals("1", queryString(s, "SELECT 1"), "the running server was left alone");
            }
        }
    }

    @Test
    void stopsTheServerOrphanedByAKilledJvm() throws Exception {
        Path dir = tmp.resolve("postgres");
        Process child = new ProcessBuilder(javaCommand(tmp, EmbeddedPostgresTest.class, dir.toString()))
                .redirectErrorStream(true).start();
        long orphan;
        try {
            String ready = awaitLine(child, "READY");
            orphan = Long.parseLong(ready.substring("READY ".length()));
        } finally {
            child.destroyForcibly(); // kill -9: no shutdown hook, no pg_ctl stop
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                "the postmaster outlives the killed JVM");

        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir);
             Connection c = connect(pg); Statement s = c.createStatement()) {
            assertEquals("written by the child", queryString(s, "SELECT text FROM note WHERE id = 1"));
            assertNotEquals(String.valueOf(orphan), Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0));
        } finally {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly); // only if the test failed
        }
        assertFalse(isRunning(orphan), "the orphaned postmaster was stopped");
    }

    @Test
    void ignoresAPidFileOfAnUnrelatedProcess() throws Exception {
        Path dir = tmp.resolve("postgres");
        EmbeddedPostgres.start(dir).close();

        // After a reboot the pid in a stale postmaster.pid often belongs to some other process;
        // PostgreSQL itself then refuses to start.
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            Files.writeString(dir.resolve("data/postmaster.pid"), unrelated.pid() + "\n" + dir.resolve("data") + "\n");
            try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir);
                 Connection c = connect(pg); Statement s = c.createStatement()) {
                assertEquals("1", queryString(s, "SELECT 1"));
            }
            assertTrue(unrelated.isAlive(), "the unrelated process was left alone");
        } finally {
            unrelated.destroyForcibly();
        }
    }

    /** Child JVM for {@link #stopsTheServerOrphanedByAKilledJvm}: writes a row, reports the postmaster pid. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir);
        try (Connection c = connect(pg); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE note (id int PRIMARY KEY, text varchar NOT NULL)");
            s.execute("INSERT INTO note VALUES (1, 'written by the child')");
        }
        System.out.println("READY " + Files.readAllLines(dir.resolve("data/postmaster.pid")).get(0));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** A JVM on the test classpath; a killed JVM leaves its temp files behind, so they go under tmp. */
    static List<String> javaCommand(Path tmp, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Reads the child's output until a line starting with prefix; fails with the output so far. */
    static String awaitLine(Process child, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                // keep draining so the child never blocks on a full pipe
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discard
                        }
                    } catch (IOException closedWhenTheChildIsDestroyed) {
                        // done
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child exited before printing " + prefix + ":\n" + seen);
    }

    private static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String s = Files.readString(stat);
        return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
    }

    private static Connection connect(EmbeddedPostgres pg) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
    }

    private static String show(Statement s, String setting) throws SQLException {
        return queryString(s, "SHOW " + setting);
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
