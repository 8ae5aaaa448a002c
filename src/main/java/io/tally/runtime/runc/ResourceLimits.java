package io.tally.runtime.runc;

import io.tally.runtime.ContainerRuntime.Resources;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * Docker's resource flags to the spec's linux.resources, with the daemon's checks and messages
 * (verifyPlatformContainerResources, adaptContainerSettings) and its adjustments: --memory without --memory-swap
 * gets twice as much memory+swap; limits the kernel lacks are discarded with Docker's warning.
 */
public final class ResourceLimits {
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    static final long DEFAULT_CFS_PERIOD = 100_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResourceLimits() {
    }

    /**
     * linux.resources for {@code runc update} of a running container: the same translation and checks as
     * at start (so a restart applies exactly what the update applied), on this host's cgroups.
     *
     * @throws IllegalArgumentException with Docker's message for a value Docker refuses
     */
    public static ObjectNode forLiveUpdate(String containerId, Resources resources) {
        ContainerSpec spec = ContainerSpec.builder(containerId, java.nio.file.Path.of("/"), List.of("update")).resources(resources).build();
        return toJson(spec, HostCgroups.detect(), new java.util.ArrayList<>());
    }

    /** The linux.resources object (devices excluded); warnings for discarded limits go to {@code warnings}. */
    static ObjectNode toJson(ContainerSpec spec, HostCgroups host, List<String> warnings) {
        Resources r = spec.resources();
        long memory = r.memoryBytes();
        long swap = r.memorySwapBytes();
        long reservation = spec.memoryReservationBytes();
        long quota = r.cpuQuota();
        long period = r.cpuPeriod();
        int blkioWeight = spec.blkioWeight();

        if (swap < -1) {
            throw new IllegalArgumentException("Invalid value " + swap + " for memory+swap: use -1 for unlimited swap");
        }
        if (memory > 0 && swap == 0) {
            swap = 2 * memory;
        }
        if (memory != 0 && memory < MIN_MEMORY) {
            throw new IllegalArgumentException("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && swap != -1 && !host.swapLimit()) {
            warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. "
                    + "Memory limited without swap.");
            swap = -1;
        }
        if (memory > 0 && swap > 0 && swap < memory) {
            throw new IllegalArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && swap > 0) {
            throw new IllegalArgumentException("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (reservation != 0 && reservation < MIN_MEMORY) {
            throw new IllegalArgumentException("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw new IllegalArgumentException(
                    "Minimum memory limit can not be less than memory reservation limit, see usage");
        }

        long nano = r.nanoCpus();
        if (nano > 0 && period > 0) {
            throw new IllegalArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nano > 0 && quota > 0) {
            throw new IllegalArgumentException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nano > 0 && !host.cpuCfs()) {
            throw new IllegalArgumentException(
                    "NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted");
        }
        int n = host.cpuCount();
        // Docker checks only the upper bound; below 0.01 the quota would be under the kernel's 1ms minimum
        if (nano < 0 || nano > n * 1_000_000_000L || (nano > 0 && nano < 10_000_000L)) {
            throw new IllegalArgumentException(
                    "Range of CPUs is from 0.01 to " + n + ".00, as there are only " + n + " CPUs available");
        }
        if ((period != 0 || quota != 0) && !host.cpuCfs()) {
            warnings.add("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
            period = 0;
            quota = 0;
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new IllegalArgumentException(
                    "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw new IllegalArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (quota < -1) {
            throw new IllegalArgumentException("Invalid CPU cfs quota " + quota + ": use -1 for no limit");
        }
        if (r.cpuShares() < 0) {
            throw new IllegalArgumentException("Invalid CPU shares " + r.cpuShares() + ": must not be negative");
        }
        checkCpuset(r.cpusetCpus(), host.cpus(), "cpus", "CPUs");
        checkCpuset(r.cpusetMems(), host.mems(), "mems", "memory nodes");
        if (blkioWeight > 0 && !host.blkioWeight()) {
            warnings.add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            blkioWeight = 0;
        }
        if (blkioWeight != 0 && (blkioWeight < 10 || blkioWeight > 1000)) {
            throw new IllegalArgumentException("Range of blkio weight is from 10 to 1000");
        }

        ObjectNode resources = JSON.objectNode();
        ObjectNode mem = resources.putObject("memory");
        if (memory > 0) {
            mem.put("limit", memory);
        }
        if (reservation > 0) {
            mem.put("reservation", reservation);
        }
        if (swap > 0) {
            mem.put("swap", swap);
        }
        ObjectNode cpu = resources.putObject("cpu");
        cpu.put("shares", r.cpuShares());
        if (nano > 0) {
            // --cpus: Docker's fixed 100ms period and the matching share of it
            cpu.put("quota", nano * DEFAULT_CFS_PERIOD / 1_000_000_000L);
            cpu.put("period", DEFAULT_CFS_PERIOD);
        }
        if (quota != 0) {
            cpu.put("quota", quota);
        }
        if (period != 0) {
            cpu.put("period", period);
        }
        if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) {
            cpu.put("cpus", r.cpusetCpus());
        }
        if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) {
            cpu.put("mems", r.cpusetMems());
        }
        if (r.pidsLimit() != 0) {
            resources.putObject("pids").put("limit", r.pidsLimit() < 0 ? -1 : r.pidsLimit());
        }
        resources.putObject("blockIO").put("weight", blkioWeight);
        return resources;
    }

    private static void checkCpuset(String requested, String available, String what, String plural) {
        if (requested == null || requested.isEmpty()) {
            return;
        }
        Set<Integer> wanted;
        try {
            wanted = HostCgroups.cpuList(requested);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value " + requested + " for cpuset " + what);
        }
        if (!HostCgroups.cpuList(available).containsAll(wanted)) {
            throw new IllegalArgumentException("Requested " + plural + " are not available - requested "
                    + requested + ", available: " + available);
        }
    }
}
