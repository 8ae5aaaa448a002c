package io.tally.container.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.api.ContainerCreated;
import io.tally.container.api.ContainerDied;
import io.tally.container.api.ContainerKilled;
import io.tally.container.api.ContainerPaused;
import io.tally.container.api.ContainerRemoved;
import io.tally.container.api.ContainerRenamed;
import io.tally.container.api.ContainerRestartScheduled;
import io.tally.container.api.ContainerStartFailed;
import io.tally.container.api.ContainerStarted;
import io.tally.container.api.ContainerStopRequested;
import io.tally.container.api.ContainerStopped;
import io.tally.container.api.ContainerUnpaused;
import io.tally.container.api.ExecConfig;
import io.tally.container.api.ExecCreated;
import io.tally.container.api.ExecDied;
import io.tally.container.api.ExecStartFailed;
import io.tally.container.api.ExecStarted;
import io.tally.container.api.StartContainer;
import io.tally.events.EventSourcing;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container fold: given a container's events so far, when one more happens, then what `docker ps -a` shows. */
class ContainerStateTest {
    private static final String ID = "c".repeat(64);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);
    private static final Instant T2 = T0.plusSeconds(2);
    private static final Instant T3 = T0.plusSeconds(3);

    private static final ContainerCreated CREATED = new ContainerCreated(ID, "web", "bb", "sha256:" + "a".repeat(64),
            Map.of("Cmd", List.of("sh")), Map.of(), List.of("/layers/x"));
    private static final ContainerStarted STARTED = new ContainerStarted(ID, 4242, StartContainer.USER, 0);
    private static final ContainerDied DIED = new ContainerDied(ID, 4242, 1, 0, false, T2, null);

    /** The state after the creation and then each event, the n-th one stored at T(n). */
    private static ContainerState given(Object... events) {
        ContainerState s = ContainerState.created(CREATED, T0);
        Instant at = T0;
        for (Object e : events) {
            at = at.plusSeconds(1);
            s = s.after(e, at);
        }
        return s;
    }

    @Test
    void createdShowsTheCreateAndNothingElse() {
        ContainerState s = given();

        assertEquals(new ContainerState(ID, "web", "bb", "sha256:" + "a".repeat(64), ContainerStatus.CREATED, T0,
                null, null, 0, 0, false, null, 0, false), s);
        assertEquals("created", s.state());
    }

    @Test
    void startedRunsWithItsPidSinceTheEvent() {
        ContainerState s = given().after(STARTED, T1);

        assertEquals(ContainerStatus.RUNNING, s.status());
        assertEquals(4242, s.pid());
        assertEquals(T1, s.startedAt());
        assertEquals(0, s.restartCount());
    }

    @Test
    void aStartClearsThePreviousExitAsDockerInspectShows() {
        ContainerState oomKilled = given(STARTED, new ContainerDied(ID, 4242, 137, 9, true, T2, "out of memory"));

        ContainerState s = oomKilled.after(new ContainerStarted(ID, 4343, StartContainer.POLICY, 1), T3);

        assertEquals(ContainerStatus.RUNNING, s.status());
        assertEquals(0, s.exitCode());
        assertFalse(s.oomKilled());
        assertNull(s.error());
        assertEquals(1, s.restartCount());
        assertEquals(T2, s.finishedAt(), "the previous run's end stays, as in docker inspect");
    }

    @Test
    void aFailedStartKeepsTheStatusAndShowsTheExitCodeAndError() {
        ContainerState s = given().after(new ContainerStartFailed(ID, "exec: \"nope\": not found", 127), T1);

        assertEquals(ContainerStatus.CREATED, s.status());
        assertEquals(127, s.exitCode());
        assertEquals("exec: \"nope\": not found", s.error());
    }

    @Test
    void diedExitsAtTheRecordedTimeNotTheEventsTime() {
        ContainerState s = given(STARTED).after(new ContainerDied(ID, 4242, 3, 0, false, T2, null), T3);

        assertEquals(ContainerStatus.EXITED, s.status());
        assertEquals(3, s.exitCode());
        assertEquals(T2, s.finishedAt());
        assertEquals(0, s.pid());
        assertFalse(s.oomKilled());
    }

    @Test
    void diedOfOomShowsOomKilledAndTheError() {
        ContainerState s = given(STARTED).after(new ContainerDied(ID, 4242, 137, 9, true, T2, "out of memory"), T2);

        assertEquals(ContainerStatus.EXITED, s.status());
        assertEquals(137, s.exitCode());
        assertTrue(s.oomKilled());
        assertEquals("out of memory", s.error());
    }

    @Test
    void killedAndStoppedChangeNothingShown() {
        ContainerState running = given(STARTED);

        assertSame(running, running.after(new ContainerKilled(ID, 9), T2));
        assertSame(running, running.after(new ContainerStopped(ID), T2));
    }

    @Test
    void aStopRequestOfARunningContainerChangesNothingShownUntilItDies() {
        ContainerState running = given(STARTED);

        assertSame(running, running.after(new ContainerStopRequested(ID, 15, 10), T2));
    }

    @Test
    void aRestartScheduledAfterADeathIsRestarting() {
        ContainerState s = given(STARTED, DIED).after(new ContainerRestartScheduled(ID, 1, 100), T3);

        assertEquals(ContainerStatus.RESTARTING, s.status());
        assertEquals(1, s.exitCode(), "the exit that caused the restart stays shown");
    }

    @Test
    void aStopRequestWhileRestartingEndsTheRestartingAsExited() {
        ContainerState restarting = given(STARTED, DIED, new ContainerRestartScheduled(ID, 1, 100));

        ContainerState s = restarting.after(new ContainerStopRequested(ID, 15, 10), T0.plusSeconds(4));

        assertEquals(ContainerStatus.EXITED, s.status());
        assertEquals(restarting.finishedAt(), s.finishedAt());
    }

    @Test
    void pausedAndUnpaused() {
        ContainerState paused = given(STARTED).after(new ContainerPaused(ID), T2);
        assertEquals(ContainerStatus.PAUSED, paused.status());
        assertEquals(4242, paused.pid());

        ContainerState unpaused = paused.after(new ContainerUnpaused(ID), T3);
        assertEquals(ContainerStatus.RUNNING, unpaused.status());
        assertEquals(T1, unpaused.startedAt(), "an unpause is not a start");
    }

    @Test
    void renamedShowsTheNewName() {
        ContainerState s = given(STARTED).after(new ContainerRenamed(ID, "web", "front"), T2);

        assertEquals("front", s.name());
        assertEquals(ContainerStatus.RUNNING, s.status());
    }

    @Test
    void removedKeepsTheLastStateMarkedRemoved() {
        ContainerState exited = given(STARTED, DIED);

        ContainerState s = exited.after(new ContainerRemoved(ID), T3);

        assertTrue(s.removed());
        assertEquals(ContainerStatus.EXITED, s.status());
        assertEquals(1, s.exitCode());
        assertEquals("removed", s.state());
    }

    @Test
    void execSessionsChangeNothingShown() {
        ContainerState running = given(STARTED);
        ExecConfig config = new ExecConfig(List.of("ls"), List.of(), "", "", false, false, true, true, false, null);

        for (Object e : List.of(new ExecCreated(ID, "e1", config), new ExecStarted(ID, "e1", 5000, false),
                new ExecDied(ID, "e1", 5000, 0, 0, T2), new ExecStartFailed(ID, "e2", "no such command", 127))) {
            assertSame(running, running.after(e, T2), e.getClass().getSimpleName());
        }
    }

    @Test
    void anEventItDoesNotKnowChangesNothing() {
        ContainerState running = given(STARTED);

        assertSame(running, running.after("some future event", T2));
    }

    @Test
    void asJsonTheStatusAndTheRemovalAreOneStateWord() throws Exception {
        ObjectMapper json = EventSourcing.eventMapper();

        JsonNode running = json.readTree(json.writeValueAsString(given(STARTED)));
        JsonNode removed = json.readTree(json.writeValueAsString(given(STARTED, DIED, new ContainerRemoved(ID))));

        List<String> fields = new ArrayList<>();
        running.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("id", "name", "image", "imageId", "state", "createdAt", "startedAt", "finishedAt", "pid",
                "exitCode", "oomKilled", "error", "restartCount"), fields, "the line docs/events.md describes");
        assertEquals("running", running.path("state").asText());
        assertEquals("2026-01-01T00:00:01Z", running.path("startedAt").asText());
        assertEquals("removed", removed.path("state").asText());
    }
}
