package io.tally.runtime.logfile;

import java.time.Instant;

/**
 * One line of a container's output: a complete line ends with '\n', the last partial one may not.
 *
 * @param stream "stdout" or "stderr"
 */
public record LogLine(Instant time, String stream, byte[] content) {
}
