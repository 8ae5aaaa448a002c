package io.tally.container;

import io.tally.container.api.*;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.exec.ExecRuntime;
import io.tally.events.DomainException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Container aggregate's decisions, with a runtime that records calls instead of touching the host. */
class ContainerTest {
    private static final String ID = "c".repeat(64);
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private AggregateTestFixture<Container> fixture;
    private final RecordingRuntime runtime = new RecordingRuntime();

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Container.class);
        fixture.registerInjectableResource(runtime);
    }

    private static ContainerCreated created(Map<String, Object> hostConfig) {
        return new ContainerCreated(ID, "web", "bb", "sha256:" + "a".repeat(64),
                Map.of("Cmd", List.of("sh"), "Hostname", "cccccccccccc"), hostConfig, List.of("/layers/x"));
    }

    @Test
    void createPreparesTheRootfs() {
        fixture.givenNoPriorActivity()
                .when(new CreateContainer(ID, "web", "bb", "sha256:" + "a".repeat(64), Map.of("Cmd", List.of("sh"), "Hostname", "cccccccccccc"),
                        Map.of(), List.of("/layers/x")))
                .expectEvents(created(Map.of()));
        assertEquals(List.of("prepare " + ID), runtime.calls);
    }

    @Test
    void startRecordsThePid() {
        fixture.given(created(Map.of())).when(new StartContainer(ID, StartContainer.USER))
                .expectEvents(new ContainerStarted(ID, 4242, StartContainer.USER, 0));
    }

    @Test
    void startOfAMissingCommandIsRecordedAsAFailureWith127() {
        runtime.startFailure = new DomainException(DomainException.Kind.START_FAILED, "exec: \"nope\": executable file not found in $PATH");
        fixture.given(created(Map.of())).when(new StartContainer(ID, StartContainer.USER))
                .expectEvents(new ContainerStartFailed(ID, "exec: \"nope\": executable file not found in $PATH", 127));
    }

    @Test
    void onFailureSchedulesARestartAfterAFailedExit() {
        fixture.given(created(Map.of("RestartPolicy", Map.of("Name", "on-failure", "MaximumRetryCount", 2))),
                        new ContainerStarted(ID, 4242, StartContainer.USER, 0))
                .when(new RecordContainerExit(ID, 4242, 1, 0, false, T, null))
                .expectEvents(new ContainerDied(ID, 4242, 1, 0, false, T, null), new ContainerRestartScheduled(ID, 1, 100));
    }

    @Test
    void onFailureGivesUpAtTheLimit() {
        fixture.given(created(Map.of("RestartPolicy", Map.of("Name", "on-failure", "MaximumRetryCount", 2))),
                        new ContainerStarted(ID, 4242, StartContainer.POLICY, 2))
                .when(new RecordContainerExit(ID, 4242, 1, 0, false, T, null))
                .expectEvents(new ContainerDied(ID, 4242, 1, 0, false, T, null));
    }

    @Test
    void anExplicitStopSuppressesTheRestart() {
        fixture.given(created(Map.of("RestartPolicy", Map.of("Name", "always"))),
                        new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ContainerStopRequested(ID, 15, 10))
                .when(new RecordContainerExit(ID, 4242, 143, 15, false, T, null))
                .expectEvents(new ContainerDied(ID, 4242, 143, 15, false, T, null), new ContainerStopped(ID));
    }

    @Test
    void aDuplicateExitNoticeChangesNothing() {
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ContainerDied(ID, 4242, 0, 0, false, T, null))
                .when(new RecordContainerExit(ID, 4242, 0, 0, false, T, null))
                .expectNoEvents();
    }

    @Test
    void removingARunningContainerNeedsForce() {
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0))
                .when(new RemoveContainer(ID, false))
                .expectException(io.tally.events.DomainException.class)
                .expectExceptionMessage("You cannot remove a running container " + ID
                        + ". Stop the container before attempting removal or force remove");
    }

    @Test
    void killOfAStoppedContainerIsAConflict() {
        fixture.given(created(Map.of()))
                .when(new KillContainer(ID, 9))
                .expectExceptionMessage("Cannot kill container: web: Container " + ID + " is not running");
    }

    @Test
    void filesExtractedIntoAContainerAreRecordedWithTheirDirectory() {
        fixture.given(created(Map.of()))
                .when(new RecordFilesExtracted(ID, "/tmp"))
                .expectEvents(new ContainerFilesExtracted(ID, "/tmp"));
        fixture.given(created(Map.of()), new ContainerRemoved(ID))
                .when(new RecordFilesExtracted(ID, "/tmp"))
                .expectExceptionMessage("No such container: " + ID);
    }

    private static final String EXEC = "e".repeat(64);
    private static final ExecConfig LS = new ExecConfig(List.of("ls", "/"), List.of(), "", "", false, false, true, true, false, "");

    @Test
    void execNeedsARunningContainer() {
        fixture.given(created(Map.of()))
                .when(new CreateExec(ID, EXEC, LS))
                .expectExceptionMessage("Container " + ID + " is not running");
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ContainerPaused(ID))
                .when(new CreateExec(ID, EXEC, LS))
                .expectExceptionMessage("Container web is paused, unpause the container before exec");
    }

    @Test
    void execStartRunsTheCommandOnceAndRecordsItsEndOnce() {
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ExecCreated(ID, EXEC, LS))
                .when(new StartExec(ID, EXEC, false))
                .expectEvents(new ExecStarted(ID, EXEC, 5151, false));
        assertEquals(List.of("exec " + EXEC + " ls /"), runtime.calls);
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ExecCreated(ID, EXEC, LS),
                        new ExecStarted(ID, EXEC, 5151, false))
                .when(new StartExec(ID, EXEC, false))
                .expectExceptionMessage("Error: Exec command " + EXEC + " is already running");
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ExecCreated(ID, EXEC, LS),
                        new ExecStarted(ID, EXEC, 5151, false), new ExecDied(ID, EXEC, 5151, 3, 0, T))
                .when(new RecordExecExit(ID, EXEC, 3, 0, T))
                .expectNoEvents();
    }

    @Test
    void anExecThatCannotStartIsRecordedWithDockersExitCodes() {
        runtime.execFailure = new DomainException(DomainException.Kind.START_FAILED, "exec: \"nope\": executable file not found in $PATH");
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ExecCreated(ID, EXEC, LS))
                .when(new StartExec(ID, EXEC, false))
                .expectEvents(new ExecStartFailed(ID, EXEC, "exec: \"nope\": executable file not found in $PATH", 127));
        runtime.execFailure = new DomainException(DomainException.Kind.START_FAILED, "unable to find user x: no matching entries in passwd file");
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0), new ExecCreated(ID, EXEC, LS))
                .when(new StartExec(ID, EXEC, false))
                .expectEvents(new ExecStartFailed(ID, EXEC, "unable to find user x: no matching entries in passwd file", 126));
    }

    private static final long MB = 1024 * 1024;

    @Test
    void updateOfARunningContainerAppliesTheLimitsThenRecordsThem() {
        ContainerUpdated updated = new ContainerUpdated(ID, Map.of("Memory", 64 * MB), Map.of("Name", "always", "MaximumRetryCount", 0));
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0))
                .when(new UpdateContainer(ID, Map.of("Memory", 64 * MB), Map.of("Name", "always", "MaximumRetryCount", 0)))
                .expectEvents(updated);
        assertEquals(List.of("update " + ID), runtime.calls);
        assertEquals(64 * MB, runtime.updates.get(0).memoryBytes());
    }

    @Test
    void updateOfAStoppedContainerIsRecordedAndTheNextStartUsesIt() {
        fixture.given(created(Map.of("Memory", 32 * MB)))
                .when(new UpdateContainer(ID, Map.of("Memory", 64 * MB, "PidsLimit", 50L), null))
                .expectEvents(new ContainerUpdated(ID, Map.of("Memory", 64 * MB, "PidsLimit", 50L), null));
        assertEquals(List.of(), runtime.calls, "nothing runs: no cgroup to change");

        fixture.given(created(Map.of("Memory", 32 * MB)), new ContainerUpdated(ID, Map.of("Memory", 64 * MB, "PidsLimit", 50L), null))
                .when(new StartContainer(ID, StartContainer.USER))
                .expectEvents(new ContainerStarted(ID, 4242, StartContainer.USER, 0));
        ContainerRuntime.Resources used = runtime.started.get(runtime.started.size() - 1).resources();
        assertEquals(64 * MB, used.memoryBytes());
        assertEquals(50, used.pidsLimit());
    }

    @Test
    void anUpdatedRestartPolicyDecidesAfterTheNextExit() {
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0),
                        new ContainerUpdated(ID, Map.of(), Map.of("Name", "on-failure", "MaximumRetryCount", 1)))
                .when(new RecordContainerExit(ID, 4242, 1, 0, false, T, null))
                .expectEvents(new ContainerDied(ID, 4242, 1, 0, false, T, null), new ContainerRestartScheduled(ID, 1, 100));
    }

    @Test
    void updatesCreateWouldRefuseAreRefusedWithoutTouchingTheHost() {
        fixture.given(created(Map.of()), new ContainerStarted(ID, 4242, StartContainer.USER, 0))
                .when(new UpdateContainer(ID, Map.of("Memory", 1 * MB), null))
                .expectNoEvents()
                .expectExceptionMessage("Minimum memory limit allowed is 6MB");
        fixture.given(created(Map.of()))
                .when(new UpdateContainer(ID, Map.of(), Map.of("Name", "sometimes", "MaximumRetryCount", 0)))
                .expectExceptionMessage("invalid restart policy 'sometimes'");
        fixture.given(created(Map.of("AutoRemove", true)))
                .when(new UpdateContainer(ID, Map.of(), Map.of("Name", "always", "MaximumRetryCount", 0)))
                .expectExceptionMessage("Restart policy cannot be updated because AutoRemove is enabled for the container");
        fixture.given(created(Map.of("Memory", 64 * MB, "MemorySwap", 96 * MB)))
                .when(new UpdateContainer(ID, Map.of("Memory", 128 * MB), null))
                .expectExceptionMessage("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        assertEquals(List.of(), runtime.updates);
        fixture.given(created(Map.of()), new ContainerRemoved(ID))
                .when(new UpdateContainer(ID, Map.of("Memory", 64 * MB), null))
                .expectExceptionMessage("No such container: " + ID);
    }

    /** Records what the aggregate asked of the host. */
    static final class RecordingRuntime implements ContainerRuntime, ExecRuntime {
        final List<String> calls = new ArrayList<>();
        final List<StartRequest> started = new ArrayList<>();
        final List<Resources> updates = new ArrayList<>();
        DomainException startFailure;
        DomainException execFailure;

        @Override public void prepare(String id, List<Path> lowers) { calls.add("prepare " + id); }
        @Override public long start(StartRequest r) throws DomainException {
            calls.add("start " + r.containerId());
            started.add(r);
            if (startFailure != null) {
                throw startFailure;
            }
            return 4242;
        }
        @Override public long exec(ExecRequest r) throws DomainException {
            calls.add("exec " + r.execId() + " " + String.join(" ", r.args()));
            if (execFailure != null) {
                throw execFailure;
            }
            return 5151;
        }
        @Override public void resizeExec(String id, String execId, int rows, int cols) { }
        @Override public ProcessState execState(String id, String execId) { return new ProcessState.NotCreated(); }
        @Override public void killExec(String id, String execId) { }
        @Override public void forgetExec(String id, String execId) { }
        @Override public void onExecExit(ExecExitListener listener) { }
        @Override public void kill(String id, int signal) { calls.add("kill " + signal); }
        @Override public void pause(String id) { calls.add("pause"); }
        @Override public void resume(String id) { calls.add("resume"); }
        @Override public ProcessState state(String id) { return new ProcessState.NotCreated(); }
        @Override public void remove(String id) { calls.add("remove " + id); }
        @Override public Path containerDir(String id) { return Path.of("/nonexistent", id); }
        @Override public Path logFile(String id) { return Path.of("/nonexistent", id, "container.log"); }
        @Override public List<String> containerIdsOnDisk() throws IOException { return List.of(); }
        @Override public void onExit(ExitListener listener) { }
        @Override public Path controlSocket(String id) { return Path.of("/nonexistent", id, "shim.sock"); }
        @Override public void beforeStart(BeforeStart hook) { }
        @Override public void resize(String id, int rows, int cols) { }
        @Override public void updateResources(String id, Resources resources) {
            calls.add("update " + id);
            updates.add(resources);
        }
    }
}
