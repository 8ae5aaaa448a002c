package io.tally.runtime.cgroup;

import java.io.IOException;
import java.util.List;

/** What a container's cgroup holds: its processes and its counters (for top and stats). */
public interface ContainerCgroups {

    /** Host pids of the container's processes; empty when it does not run. */
    List<Long> pids(String containerId);

    /** One reading of the container's counters and of the host's CPU time. */
    StatsSample sample(String containerId) throws IOException;

    /**
     * The host's {@code ps} output reduced to the container's processes, as dockerd does.
     *
     * @param psArgs ps's options, "-ef" when blank
     */
    ProcessTable processes(String containerId, String psArgs) throws IOException;
}
