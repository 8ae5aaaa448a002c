package io.tally.runtime;

import io.tally.runtime.ContainerRuntime.ExitStatus;

import java.nio.file.Path;

/** What tallyd learns when the shim of an exec session reports its process's exit. */
public interface ExecExitListener {
    /** @param execStateDir the session's shim state dir (as the shim resolved it), which identifies the session */
    void execExited(String containerId, Path execStateDir, ExitStatus status);
}
