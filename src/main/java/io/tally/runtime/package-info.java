/**
 * The host side of containers, one sub-package per concept, each opening with the small interface it
 * offers and its host implementation beside it. {@link io.tally.runtime.ContainerRuntime} is a
 * container's life (prepare, start, signal, state, remove); {@code exec} runs more processes in it;
 * {@code rootfs} is its files (cp, diff, export); {@code cgroup} its processes and counters (top,
 * stats); {@code logfile} its output; {@code host} facts about the machine; {@code shim} the
 * tally-shim protocol (attach); {@code runc} the OCI bundle and runc. Nothing here builds Docker's
 * JSON: the interfaces return plain records, and {@code http} shapes them.
 *
 * <p>{@code runtime.network} and {@code runtime.volume} come next, in the same form.
 * {@link io.tally.runtime.RuntimeBeans} wires the host implementations as beans.
 */
package io.tally.runtime;
