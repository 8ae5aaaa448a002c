package io.tally.container;

import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerHealthChanged;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.HealthProbeResult;
import io.tally.container.api.HealthStatus;
import io.tally.container.api.RecordHealthProbe;
import io.tally.container.api.StartContainer;
import io.tally.container.health.HealthRules.HealthState;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The container's health rules (Docker's): given a check and a status, when a probe result arrives, then which change is recorded. */
class ContainerHealthTest {
    private static final String ID = "d".repeat(64);
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final long PID = 4242;
    private AggregateTestFixture<Container> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Container.class);
        fixture.registerInjectableResource(new ContainerTest.RecordingRuntime());
    }

    private static ContainerCreated created(Map<String, Object> healthcheck) {
        Map<String, Object> config = new HashMap<>(Map.of("Cmd", List.of("sh"), "Hostname", "dddddddddddd"));
        if (healthcheck != null) {
            config.put("Healthcheck", healthcheck);
        }
        return new ContainerCreated(ID, "web", "bb", "sha256:" + "a".repeat(64), config, Map.of(), List.of("/layers/x"));
    }

    private static Map<String, Object> check(int retries, long startPeriodSeconds) {
        return Map.of("Test", List.of("CMD-SHELL", "true"), "Interval", 1_000_000_000L, "Retries", retries,
                "StartPeriod", startPeriodSeconds * 1_000_000_000L);
    }

    private static HealthProbeResult result(int exitCode, long secondsAfterStart) {
        Instant start = T.plusSeconds(secondsAfterStart);
        return new HealthProbeResult(start, start.plusMillis(5), exitCode, exitCode == 0 ? "ok" : "bad");
    }

    private static ContainerStarted started(long pid) {
        return new ContainerStarted(ID, pid, StartContainer.USER, 0);
    }

    @Test
    void aPassingProbeMakesAStartingContainerHealthy() {
        HealthProbeResult ok = result(0, 5);
        fixture.givenCurrentTime(T).andGiven(created(check(3, 0)), started(PID))
                .when(new RecordHealthProbe(ID, PID, ok, 0))
                .expectEvents(new ContainerHealthChanged(ID, HealthStatus.HEALTHY, 0, ok))
                .expectResultMessagePayload(new HealthState(HealthStatus.HEALTHY, 0));
    }

    @Test
    void failuresBelowTheRetriesOnlyCount() {
        fixture.givenCurrentTime(T).andGiven(created(check(3, 0)), started(PID))
                .when(new RecordHealthProbe(ID, PID, result(1, 5), 1))
                .expectNoEvents()
                .expectResultMessagePayload(new HealthState(HealthStatus.STARTING, 2));
    }

    @Test
    void theFailureThatReachesTheRetriesMakesItUnhealthy() {
        HealthProbeResult bad = result(1, 5);
        fixture.givenCurrentTime(T).andGiven(created(check(3, 0)), started(PID))
                .when(new RecordHealthProbe(ID, PID, bad, 2))
                .expectEvents(new ContainerHealthChanged(ID, HealthStatus.UNHEALTHY, 3, bad));
    }

    @Test
    void aHealthyContainerStaysHealthyUntilTheRetriesAreReached() {
        HealthProbeResult ok = result(0, 1);
        fixture.givenCurrentTime(T).andGiven(created(check(2, 0)), started(PID), new ContainerHealthChanged(ID, HealthStatus.HEALTHY, 0, ok))
                .when(new RecordHealthProbe(ID, PID, result(1, 5), 0))
                .expectNoEvents()
                .expectResultMessagePayload(new HealthState(HealthStatus.HEALTHY, 1));
    }

    @Test
    void anotherPassWhileHealthyRecordsNothing() {
        HealthProbeResult ok = result(0, 1);
        fixture.givenCurrentTime(T).andGiven(created(check(3, 0)), started(PID), new ContainerHealthChanged(ID, HealthStatus.HEALTHY, 0, ok))
                .when(new RecordHealthProbe(ID, PID, result(0, 5), 0))
                .expectNoEvents();
    }

    @Test
    void failuresWithinTheStartPeriodDoNotCount() {
        fixture.givenCurrentTime(T).andGiven(created(check(1, 60)), started(PID))
                .when(new RecordHealthProbe(ID, PID, result(1, 10), 0))
                .expectNoEvents()
                .expectResultMessagePayload(new HealthState(HealthStatus.STARTING, 0));
    }

    @Test
    void failuresAfterTheStartPeriodCount() {
        HealthProbeResult bad = result(1, 61);
        fixture.givenCurrentTime(T).andGiven(created(check(1, 60)), started(PID))
                .when(new RecordHealthProbe(ID, PID, bad, 0))
                .expectEvents(new ContainerHealthChanged(ID, HealthStatus.UNHEALTHY, 1, bad));
    }

    @Test
    void theStartPeriodNoLongerAppliesOnceHealthy() {
        HealthProbeResult bad = result(1, 10);
        fixture.givenCurrentTime(T).andGiven(created(check(1, 60)), started(PID),
                        new ContainerHealthChanged(ID, HealthStatus.HEALTHY, 0, result(0, 5)))
                .when(new RecordHealthProbe(ID, PID, bad, 0))
                .expectEvents(new ContainerHealthChanged(ID, HealthStatus.UNHEALTHY, 1, bad));
    }

    @Test
    void aProbeOfAnEarlierRunIsIgnored() {
        fixture.givenCurrentTime(T).andGiven(created(check(1, 0)), started(PID))
                .when(new RecordHealthProbe(ID, 1111, result(1, 5), 0))
                .expectNoEvents()
                .expectResultMessagePayload(null);
    }

    @Test
    void aProbeAfterTheDeathIsIgnored() {
        fixture.givenCurrentTime(T).andGiven(created(check(1, 0)), started(PID), new ContainerDied(ID, PID, 0, 0, false, T, null))
                .when(new RecordHealthProbe(ID, PID, result(1, 5), 0))
                .expectNoEvents();
    }

    @Test
    void aContainerWithoutACheckOrWithNoneHasNoHealth() {
        fixture.givenCurrentTime(T).andGiven(created(null), started(PID))
                .when(new RecordHealthProbe(ID, PID, result(0, 5), 0))
                .expectNoEvents();
        setUp();
        fixture.givenCurrentTime(T).andGiven(created(Map.of("Test", List.of("NONE"))), started(PID))
                .when(new RecordHealthProbe(ID, PID, result(0, 5), 0))
                .expectNoEvents();
    }

    @Test
    void everyStartBeginsAgainAsStarting() {
        HealthProbeResult ok = result(0, 20);
        fixture.givenCurrentTime(T).andGiven(created(check(3, 0)), started(PID),
                        new ContainerHealthChanged(ID, HealthStatus.HEALTHY, 0, result(0, 5)),
                        new ContainerDied(ID, PID, 0, 0, false, T.plusSeconds(10), null), started(5151))
                .when(new RecordHealthProbe(ID, 5151, ok, 0))
                .expectEvents(new ContainerHealthChanged(ID, HealthStatus.HEALTHY, 0, ok));
    }
}
