package io.tally.daemon;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of tallyd. Arguments are parsed and embedded services started before Quarkus
 * boots, because the datasource URL must be known when Quarkus reads its configuration.
 */
@QuarkusMain
public class TallyMain {

    public static void main(String... args) {
        DaemonOptions options = new DaemonOptions();
        CommandLine cli = new CommandLine(options);
        DaemonSettings settings;
        try {
            CommandLine.ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.executeHelpRequest(parsed) != null) {
                System.exit(0);
            }
            settings = DaemonSettings.resolve(options);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            fail(e.getMessage(), 2);
            return;
        }

        EmbeddedServices embedded;
        try {
            embedded = EmbeddedServices.startFor(settings);
        } catch (Exception e) {
            fail("cannot start embedded services: " + e.getMessage(), 1);
            return;
        }
        settings.exportAsSystemProperties(embedded);
        StartProgress.step("engine", "starting: database schema, event store, containers, then the API");

        CountDownLatch stopped = new CountDownLatch(1);
        // The JVM halts once shutdown hooks return; on SIGTERM keep it alive until the embedded database is stopped cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(stopped), "tallyd-shutdown-wait"));

        int[] exit = {0};
        Quarkus.run(Daemon.class, (code, failure) -> {
            exit[0] = code;
            if (failure != null) {
                System.err.println("tallyd: " + rootMessage(failure));
            }
        });
        embedded.close();
        stopped.countDown();
        if (exit[0] != 0) {
            System.exit(exit[0]);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root + ")";
    }

    private static void fail(String message, int code) {
        PrintWriter err = new PrintWriter(System.err, true);
        err.println("tallyd: " + message);
        System.exit(code);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs until SIGTERM/SIGINT; the work happens in startup and shutdown observers. */
    public static class Daemon implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
