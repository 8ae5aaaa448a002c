package io.tally.engine;

import io.tally.engine.api.EngineCrashDetected;
import io.tally.engine.api.EngineStarted;
import io.tally.engine.api.EngineStopped;
import io.tally.engine.api.RecordEngineStart;
import io.tally.engine.api.RecordEngineStop;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Instant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/** The daemon on one host: its history is the audit trail of starts, stops and crashes. */
public class Engine {

    @AggregateIdentifier
    private String engineId;
    private boolean running;
    private Instant lastStartAt;
    private long lastPid;

    protected Engine() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RecordEngineStart cmd) {
        if (running) {
            apply(new EngineCrashDetected(cmd.engineId(), lastStartAt, lastPid));
        }
        apply(new EngineStarted(cmd.engineId(), cmd.version(), cmd.apiVersion(), cmd.hostname(), cmd.pid(), cmd.config()));
    }

    @CommandHandler
    public void handle(RecordEngineStop cmd) {
        if (running) {
            apply(new EngineStopped(engineId, cmd.reason()));
        }
    }

    @EventSourcingHandler
    void on(EngineStarted event, @Timestamp Instant at) {
        engineId = event.engineId();
        running = true;
        lastStartAt = at;
        lastPid = event.pid();
    }

    @EventSourcingHandler
    void on(EngineStopped event) {
        running = false;
    }

    @EventSourcingHandler
    void on(EngineCrashDetected event) {
        running = false;
    }
}
