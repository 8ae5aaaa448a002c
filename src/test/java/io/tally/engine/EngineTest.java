package io.tally.engine;

import io.tally.engine.api.EngineCrashDetected;
import io.tally.engine.api.EngineStarted;
import io.tally.engine.api.EngineStopped;
import io.tally.engine.api.RecordEngineStart;
import io.tally.engine.api.RecordEngineStop;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

class EngineTest {
    private static final String ID = "5d0b6a3e-0f0e-4c8b-9d5e-7f1e2a3b4c5d";
    private AggregateTestFixture<Engine> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Engine.class);
    }

    private static RecordEngineStart start(long pid) {
        return new RecordEngineStart(ID, "1.0", "1.41", "host", pid, Map.of("kafka", "off"));
    }

    private static EngineStarted started(long pid) {
        return new EngineStarted(ID, "1.0", "1.41", "host", pid, Map.of("kafka", "off"));
    }

    @Test
    void firstStartCreatesTheEngine() {
        fixture.givenNoPriorActivity().when(start(10)).expectEvents(started(10));
    }

    @Test
    void gracefulStopIsRecorded() {
        fixture.given(started(10)).when(new RecordEngineStop(ID, "shutdown requested"))
                .expectEvents(new EngineStopped(ID, "shutdown requested"));
    }

    @Test
    void startAfterGracefulStopIsPlain() {
        fixture.given(started(10), new EngineStopped(ID, "x")).when(start(11)).expectEvents(started(11));
    }

    @Test
    void startWithoutAPreviousStopRecordsTheCrashFirst() {
        fixture.given(started(10)).when(start(11))
                .expectEvents(new EngineCrashDetected(ID, fixture.currentTime(), 10), started(11));
    }

    @Test
    void stopWhenNotRunningRecordsNothing() {
        fixture.given(started(10), new EngineStopped(ID, "x")).when(new RecordEngineStop(ID, "again")).expectNoEvents();
    }
}
