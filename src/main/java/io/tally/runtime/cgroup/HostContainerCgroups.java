package io.tally.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@link ContainerCgroups} read from the host's cgroup file system. */
public final class HostContainerCgroups implements ContainerCgroups {
    private final CgroupDirs dirs;

    public HostContainerCgroups(Path cgroupRoot) {
        this.dirs = new CgroupDirs(cgroupRoot);
    }

    @Override
    public List<Long> pids(String containerId) {
        return dirs.pids(containerId);
    }

    @Override
    public StatsSample sample(String containerId) throws IOException {
        return CgroupStats.sample(dirs, containerId);
    }

    @Override
    public ProcessTable processes(String containerId, String psArgs) throws IOException {
        return ContainerProcesses.of(dirs.pids(containerId), psArgs);
    }
}
