/**
 * tally-shim, the small C monitor of each container and exec process (src/native): launching it, its
 * control socket (status, start, resize), its exit notifications, and
 * {@link io.tally.runtime.shim.Attachment}, an attach session on a process's streams.
 */
package io.tally.runtime.shim;
