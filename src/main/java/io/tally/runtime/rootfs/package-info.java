/**
 * A container's root file system: the overlay mount over the image layers, its /etc files, and what
 * callers see of it through {@link io.tally.runtime.rootfs.ContainerFilesystem} (cp in and out, path
 * stat, diff, export), with paths resolved inside the container.
 */
package io.tally.runtime.rootfs;
