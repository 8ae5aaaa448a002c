/**
 * Exec sessions: more processes in a running container, each with its own tally-shim.
 * {@link io.tally.runtime.exec.ExecRuntime} is what the container aggregate and the exec service call.
 */
package io.tally.runtime.exec;
