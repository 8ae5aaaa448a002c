/**
 * Facts about this machine ({@link io.tally.runtime.host.HostFacts}: kernel, cgroups, CPUs, runc's
 * version) and its user accounts ({@link io.tally.runtime.host.HostUsers}), read from /proc, /sys and /etc.
 */
package io.tally.runtime.host;
