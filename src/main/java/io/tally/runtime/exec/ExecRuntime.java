package io.tally.runtime.exec;

import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime.BeforeStart;
import io.tally.runtime.ContainerRuntime.ExitStatus;
import io.tally.runtime.ContainerRuntime.ProcessState;

import java.util.List;

/**
 * Exec sessions: more processes in a running container, each with its own tally-shim, started,
 * sized, watched and reported like the container's own process. Callers serialize the calls for
 * one session (the container's aggregate does).
 */
public interface ExecRuntime {

    /**
     * Runs a process in the running container. The container runtime's {@link BeforeStart} hooks are
     * called with the exec id once the session's shim listens and before the process starts, so
     * attachers miss nothing.
     *
     * @return the process's pid on the host
     * @throws DomainException NOT_RUNNING when the container does not run, START_FAILED with runc's words
     *                         when the process could not be started
     */
    long exec(ExecRequest request) throws DomainException;

    /** Sets the terminal size of an exec session (TTY sessions only); NOT_RUNNING when its shim is gone. */
    void resizeExec(String containerId, String execId, int rows, int cols) throws DomainException;

    /** What an exec session's shim says now (as the container runtime's state does for the container). */
    ProcessState execState(String containerId, String execId);

    /** Ends an exec session's process with SIGKILL (a health probe past its timeout); nothing when it has ended. */
    void killExec(String containerId, String execId);

    /** Deletes an ended exec session's files; health probes leave none behind, one every interval. */
    void forgetExec(String containerId, String execId);

    /** What tallyd learns when an exec session's shim reports its process's exit. */
    interface ExecExitListener {
        void execExited(String containerId, String execId, ExitStatus status);
    }

    void onExecExit(ExecExitListener listener);

    /** An exec session: the process to run in the container, over the container's own process spec. */
    record ExecRequest(
            String containerId,
            String execId,
            List<String> args,
            List<String> env,
            String workingDir,
            String user,
            boolean tty,
            boolean stdin,
            boolean privileged) {
    }
}
