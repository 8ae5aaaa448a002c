package io.tally.daemon;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tally.container.ContainerAutomation;
import io.tally.container.ContainerReconciler;
import io.tally.container.ExecExits;
import io.tally.container.ExecService;
import io.tally.container.health.HealthMonitor;
import io.tally.engine.EngineLifecycle;
import io.tally.events.EventSourcing;
import io.tally.http.transport.ApiListeners;
import io.tally.http.transport.PendingAttaches;
import io.tally.logs.KafkaLogShipper;
import io.tally.projection.ProjectionReplayer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which tallyd comes up and goes down, in one place. Quarkus has already run Flyway
 * when this starts. Each phase relies on the ones before it: nothing may record an event before the
 * store is up, containers are reconciled only once the read models are current and attachers can be
 * handed a starting process, and clients are let in last, when the engine's state is true.
 * Shutdown runs the other way round.
 */
@ApplicationScoped
public class BootSequence {
    private static final Logger LOG = Logger.getLogger(BootSequence.class);

    @Inject EventSourcing eventSourcing;
    @Inject ProjectionReplayer projections;
    @Inject PendingAttaches pendingAttaches;
    @Inject ExecService execService;
    @Inject EngineLifecycle engine;
    @Inject ContainerReconciler containers;
    @Inject ExecExits execExits;
    @Inject KafkaLogShipper logShipper;
    @Inject ApiListeners listeners;
    @Inject ContainerAutomation automation;
    @Inject HealthMonitor health;
    @Inject TallyConfig config;

    /** One step of the boot; it either completes or stops the boot with its exception. */
    @FunctionalInterface
    interface Phase {
        void run() throws Exception;
    }

    void boot(@Observes StartupEvent event) throws Exception {
        List<String> timings = new ArrayList<>();
        phase(timings, "event store and processors", eventSourcing::start);
        phase(timings, "read models caught up", projections::catchUpAtStart);
        phase(timings, "attach hooks on the runtime", () -> {
            pendingAttaches.hookIntoRuntime();
            execService.hookIntoRuntime();
        });
        phase(timings, "engine start recorded", engine::recordStart);
        phase(timings, "containers reconciled", containers::reconcileAtStart);
        phase(timings, "exec sessions reconciled", execExits::reconcileAtStart);
        phase(timings, "health checks resumed", health::resumeAtStart);
        phase(timings, "Kafka log driver", logShipper::start);
        phase(timings, "API listening", listeners::listen);
        LOG.infof("boot phases: %s", String.join(", ", timings));
        StartProgress.ready(config.hosts());
    }

    void shutdown(@Observes ShutdownEvent event) {
        // Clients first, so no command arrives while the engine records its stop.
        quietly("closing the API listeners", listeners::close);
        // Probes report through commands: they end before the store does.
        quietly("stopping health checks", health::stop);
        quietly("recording the engine stop", engine::recordStop);
        quietly("stopping event sourcing", eventSourcing::stop);
        quietly("stopping the Kafka log driver", logShipper::stop);
        quietly("stopping restart scheduling", automation::stop);
    }

    private static void phase(List<String> timings, String name, Phase phase) throws Exception {
        long t0 = System.nanoTime();
        try {
            phase.run();
        } catch (Exception | Error e) {
            LOG.errorf("boot phase '%s' failed: %s", name, e.getMessage());
            throw e;
        }
        timings.add(name + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    private static void quietly(String what, Phase phase) {
        try {
            phase.run();
        } catch (Exception e) {
            LOG.warnf("shutdown: %s failed: %s", what, e.getMessage());
        }
    }
}
