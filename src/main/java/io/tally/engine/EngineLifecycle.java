package io.tally.engine;

import io.tally.daemon.TallyConfig;
import io.tally.daemon.TallyVersion;
import io.tally.engine.api.RecordEngineStart;
import io.tally.engine.api.RecordEngineStop;
import io.tally.runtime.host.HostFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.tally.events.Actor;
import io.tally.events.Commands;
import org.jboss.logging.Logger;

/** Records each start and graceful stop of tallyd on the Engine aggregate. */
@ApplicationScoped
public class EngineLifecycle {
    private static final Logger LOG = Logger.getLogger(EngineLifecycle.class);

    @Inject Commands commands;
    @Inject TallyConfig config;
    @Inject HostFacts host;

    public void recordStart() {
        commands.send(new RecordEngineStart(config.engineId(), TallyVersion.version(), TallyVersion.API_VERSION,
                host.hostname(), ProcessHandle.current().pid(), config.summary()), Actor.internal("engine start"));
        LOG.infof("engine %s started (data root %s)", config.engineId(), config.dataRoot());
    }

    public void recordStop() {
        try {
            commands.send(new RecordEngineStop(config.engineId(), "shutdown requested"), Actor.internal("engine stop"));
        } catch (RuntimeException e) {
            LOG.warnf("could not record the engine stop: %s", e.getMessage());
        }
    }
}
