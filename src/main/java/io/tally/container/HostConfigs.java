package io.tally.container;

import io.tally.events.DomainException;

import java.util.Map;

/** Checks on a create request's HostConfig that Docker makes before anything is created. */
final class HostConfigs {
    private static final long MIN_MEMORY = 6L * 1024 * 1024;

    private HostConfigs() {
    }

    static void validate(Map<String, Object> hc) {
        RestartPolicy policy = RestartPolicy.of(hc);
        // a bad --log-driver or --log-opt is refused at create, as Docker does, not at the first start
        io.tally.logs.LogDriver driver = io.tally.logs.LogDriver.of(hc);
        StartRequests.LogOptions.maxSize(driver.options().get("max-size"));
        StartRequests.LogOptions.maxFiles(driver.options().get("max-file"));
        if (Boolean.TRUE.equals(hc.get("AutoRemove")) && !policy.equals(RestartPolicy.NO)) {
            throw DomainException.conflict("Conflicting options: AutoRemove and restart policy");
        }
        long memory = num(hc.get("Memory"));
        if (memory < 0) {
            throw DomainException.invalid("invalid memory limit: it cannot be negative");
        }
        if (memory > 0 && memory < MIN_MEMORY) {
            throw DomainException.invalid("Minimum memory limit allowed is 6MB");
        }
        long swap = num(hc.get("MemorySwap"));
        if (swap > 0 && memory > 0 && swap < memory) {
            throw DomainException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        long nanoCpus = num(hc.get("NanoCpus"));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (nanoCpus < 0 || nanoCpus > cpus * 1_000_000_000L) {
            throw DomainException.invalid("Range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus + " CPUs available");
        }
        if (nanoCpus > 0 && (num(hc.get("CpuQuota")) > 0 || num(hc.get("CpuPeriod")) > 0)) {
            throw DomainException.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (num(hc.get("PidsLimit")) < -1) {
            throw DomainException.invalid("invalid pids limit");
        }
        Object mode = hc.get("NetworkMode");
        if (mode != null && !mode.toString().isEmpty() && !java.util.Set.of("default", "bridge", "none").contains(mode.toString())) {
            throw DomainException.invalid("network mode \"" + mode + "\" is not supported yet: containers get their own loopback-only network namespace");
        }
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
