package io.tally.container.query;

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
import io.tally.container.api.ContainerUnpaused;
import io.tally.container.api.StartContainer;
import io.tally.container.state.ContainerState;
import io.tally.container.state.ContainerStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** container_view's rows change exactly as the container fold says (a detached view: no database). */
class ContainerViewChangesTest {
    private static final String ID = "c".repeat(64);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ContainerCreated CREATED = new ContainerCreated(ID, "web", "bb", "sha256:" + "a".repeat(64),
            Map.of("Cmd", List.of("sh")), Map.of("AutoRemove", false), List.of("/layers/x"));

    @Test
    void aViewFollowsTheFoldThroughALife() {
        List<Object> life = List.of(new ContainerStartFailed(ID, "no such file", 127),
                new ContainerStarted(ID, 10, StartContainer.USER, 0), new ContainerPaused(ID), new ContainerUnpaused(ID),
                new ContainerKilled(ID, 9), new ContainerDied(ID, 10, 137, 9, true, T0.plusSeconds(5), "out of memory"),
                new ContainerRestartScheduled(ID, 1, 100), new ContainerStarted(ID, 11, StartContainer.POLICY, 1),
                new ContainerRenamed(ID, "web", "front"), new ContainerDied(ID, 11, 1, 0, false, T0.plusSeconds(9), null),
                new ContainerRestartScheduled(ID, 2, 200), new ContainerStopRequested(ID, 15, 10));
        ContainerView view = ContainerViewChanges.created(CREATED, T0);
        ContainerState state = ContainerState.created(CREATED, T0);
        assertEquals(state, ContainerViewChanges.stateOf(view));

        Instant at = T0;
        for (Object e : life) {
            at = at.plusSeconds(1);
            ContainerViewChanges.apply(view, e, at);
            state = state.after(e, at);
            assertEquals(state, ContainerViewChanges.stateOf(view), e.getClass().getSimpleName());
        }
        assertEquals(ContainerStatus.EXITED, view.state);
        assertEquals("{\"Cmd\":[\"sh\"]}", view.config);
        assertEquals("{\"AutoRemove\":false}", view.hostConfig);
        assertEquals("[\"/layers/x\"]", view.lowerDirs);
    }

    @Test
    void onlyAStopWhileRestartingChangesTheView() {
        ContainerView running = ContainerViewChanges.created(CREATED, T0);
        ContainerViewChanges.apply(running, new ContainerStarted(ID, 10, StartContainer.USER, 0), T0);
        assertFalse(ContainerViewChanges.apply(running, new ContainerStopRequested(ID, 15, 10), T0));

        ContainerViewChanges.apply(running, new ContainerDied(ID, 10, 1, 0, false, T0, null), T0);
        ContainerViewChanges.apply(running, new ContainerRestartScheduled(ID, 1, 100), T0);
        assertTrue(ContainerViewChanges.apply(running, new ContainerStopRequested(ID, 15, 10), T0));
        assertEquals(ContainerStatus.EXITED, running.state);
    }

    @Test
    void removalIsTheProjectionsDeleteNotAChangeOfFields() {
        ContainerView view = ContainerViewChanges.created(CREATED, T0);
        ContainerState before = ContainerViewChanges.stateOf(view);

        assertFalse(ContainerViewChanges.apply(view, new ContainerRemoved(ID), T0.plusSeconds(1)));
        assertEquals(before, ContainerViewChanges.stateOf(view));
    }
}
