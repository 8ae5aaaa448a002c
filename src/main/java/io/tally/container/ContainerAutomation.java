package io.tally.container;

import io.tally.events.AfterCommit;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.RemoveContainer;
import io.tally.container.api.StartContainer;
import io.tally.container.create.HostConfig;
import io.tally.container.query.ContainerView;
import io.tally.events.Actor;
import io.tally.events.Commands;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What tallyd does on its own when a container dies: restart it per its policy (after the back-off),
 * or remove it when it was run with --rm. Live only: a replay of history never schedules anything.
 */
@ApplicationScoped
public class ContainerAutomation {
    static final String NAME = "container-automation";
    private static final Logger LOG = Logger.getLogger(ContainerAutomation.class);

    @Inject Commands commands;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-restarts").daemon().factory());

    Object handlers() {
        return new Handlers();
    }

    public void stop() {
        scheduler.shutdownNow();
    }

    @ProcessingGroup(NAME)
    class Handlers {
        private final Set<String> restarting = ConcurrentHashMap.newKeySet();

        @EventHandler
        void on(ContainerRestartScheduled e) {
            restarting.add(e.containerId());
            AfterCommit.run(() -> scheduler.schedule(() -> restart(e.containerId()), e.delayMillis(), TimeUnit.MILLISECONDS));
        }

        @EventHandler
        void on(ContainerDied e) {
            String id = e.containerId();
            AfterCommit.run(() -> {
                if (!restarting.remove(id)) {
                    scheduler.execute(() -> removeIfAutoRemove(id));
                }
            });
        }
    }

    private void restart(String id) {
        try {
            commands.send(new StartContainer(id, StartContainer.POLICY), Actor.internal("restart policy"));
        } catch (RuntimeException e) {
            LOG.warnf("restart of container %s failed: %s", id, e.getMessage());
        }
    }

    private void removeIfAutoRemove(String id) {
        try {
            boolean autoRemove = QuarkusTransaction.requiringNew().call(() -> ContainerView.<ContainerView>findByIdOptional(id)
                    .map(v -> HostConfig.parse(ContainerJson.map(v.hostConfig)).autoRemove())
                    .orElse(false));
            if (autoRemove) {
                commands.send(new RemoveContainer(id, false), Actor.internal("--rm"));
            }
        } catch (RuntimeException e) {
            LOG.warnf("automatic removal of container %s failed: %s", id, e.getMessage());
        }
    }
}
