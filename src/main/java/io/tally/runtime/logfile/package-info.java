/**
 * The container logs tally-shim writes in the CRI format, rotated files included.
 * {@link io.tally.runtime.logfile.ContainerLogs} reads them line by line; the log shipper reads the
 * files themselves, known across rotation by {@link io.tally.runtime.logfile.LogFileId}.
 */
package io.tally.runtime.logfile;
