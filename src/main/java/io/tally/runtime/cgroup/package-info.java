/**
 * A container's cgroup: its processes and its counters. {@link io.tally.runtime.cgroup.ContainerCgroups}
 * answers top and stats with plain records; the runtime removes leftover cgroup directories.
 */
package io.tally.runtime.cgroup;
