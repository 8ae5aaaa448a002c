package io.tally.daemon;

import io.tally.daemon.embedded.EmbeddedKafkaBroker;
import io.tally.daemon.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The PostgreSQL and Kafka tallyd brings along when none is configured: zero set-up on a fresh host. */
final class EmbeddedServices implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedServices.class);

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafkaBroker kafka;

    private EmbeddedServices(EmbeddedPostgres postgres, EmbeddedKafkaBroker kafka) {
        this.postgres = postgres;
        this.kafka = kafka;
    }

    static EmbeddedServices startFor(DaemonSettings settings) throws Exception {
        if (settings.kafkaMode() == DaemonSettings.KafkaMode.EMBEDDED) {
            // A fatal broker error must not halt tallyd: publication just waits, events stay stored.
            org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
                    LOG.errorf("embedded Kafka broker failed (%d): %s; events keep being stored", code, message));
            org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
                    LOG.errorf("embedded Kafka broker exited (%d): %s; events keep being stored", code, message));
        }
        // Both take seconds; start them side by side.
        Path pgDir = settings.dataRoot().resolve("postgres");
        Path kafkaDir = settings.dataRoot().resolve("kafka");
        CompletableFuture<EmbeddedPostgres> pg = settings.embeddedDatabase()
                ? CompletableFuture.supplyAsync(() -> shown("PostgreSQL", pgDir, "postgres.log", Files.exists(pgDir.resolve("data")),
                        () -> EmbeddedPostgres.start(pgDir)))
                : CompletableFuture.completedFuture(null);
        CompletableFuture<EmbeddedKafkaBroker> broker = settings.kafkaMode() == DaemonSettings.KafkaMode.EMBEDDED
                ? CompletableFuture.supplyAsync(() -> shown("Kafka", kafkaDir, null, Files.exists(kafkaDir.resolve("logs")),
                        () -> EmbeddedKafkaBroker.start(kafkaDir, 0)))
                : CompletableFuture.completedFuture(null);
        try {
            return new EmbeddedServices(pg.join(), broker.join());
        } catch (CompletionException e) {
            closeQuietly(pg);
            closeQuietly(broker);
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            throw cause instanceof Exception ex ? ex : e;
        }
    }

    /** Starts one embedded service, telling the user which one, whether it is new, and how long it took; a null log name means its output is the daemon's own. */
    private static <T> T shown(String name, Path dir, String logName, boolean existed, ThrowingSupplier<T> starter) {
        String phase = "embedded " + name;
        StartProgress.step(phase, existed ? "starting from " + dir : "initialising a new one in " + dir + " (first start)");
        long t0 = System.nanoTime();
        try {
            T started = starter.get();
            StartProgress.done(phase, "up", t0);
            return started;
        } catch (Exception e) {
            StartProgress.failed(phase, String.valueOf(e.getMessage()), logName == null ? null : dir.resolve(logName));
            throw e instanceof RuntimeException r ? r : new CompletionException(e);
        }
    }

    Optional<String> jdbcUrl() {
        return Optional.ofNullable(postgres).map(EmbeddedPostgres::jdbcUrl);
    }

    String dbUser() {
        return postgres.user();
    }

    String dbPassword() {
        return postgres.password();
    }

    Optional<String> kafkaBootstrap() {
        return Optional.ofNullable(kafka).map(EmbeddedKafkaBroker::bootstrapServers);
    }

    @Override
    public void close() {
        if (kafka != null) {
            run(kafka::close, "embedded Kafka");
        }
        if (postgres != null) {
            run(postgres::close, "embedded PostgreSQL");
        }
    }

    private static void run(ThrowingRunnable action, String what) {
        try {
            action.run();
        } catch (Exception e) {
            LOG.warnf("stopping %s failed: %s", what, e.getMessage());
        }
    }

    private static void closeQuietly(CompletableFuture<? extends AutoCloseable> f) {
        f.thenAccept(c -> {
            if (c != null) {
                run(c::close, c.getClass().getSimpleName());
            }
        });
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
