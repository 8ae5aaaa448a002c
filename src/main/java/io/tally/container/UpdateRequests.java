package io.tally.container;

import io.tally.container.api.UpdateContainer;
import io.tally.container.create.HostConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /containers/{id}/update} (Docker's UpdateConfig: resource fields and RestartPolicy)
 * as an {@link UpdateContainer}. As in Docker, a resource left at zero and a policy without a name are not
 * changed; the body is read with create's rules (Go's type errors).
 */
final class UpdateRequests {
    private UpdateRequests() {
    }

    static UpdateContainer of(String containerId, Map<String, Object> body) {
        Map<String, Object> request = body == null ? Map.of() : body;
        HostConfig parsed = HostConfig.parse(request);
        HostConfig.Resources r = parsed.resources();
        Map<String, Object> set = new LinkedHashMap<>();
        putIfSet(set, "BlkioWeight", r.blkioWeight());
        putIfSet(set, "CpuShares", r.cpuShares());
        putIfSet(set, "CpuPeriod", r.cpuPeriod());
        putIfSet(set, "CpuQuota", r.cpuQuota());
        putIfSet(set, "CpuRealtimePeriod", r.cpuRealtimePeriod());
        putIfSet(set, "CpuRealtimeRuntime", r.cpuRealtimeRuntime());
        putIfSet(set, "NanoCpus", r.nanoCpus());
        putIfSet(set, "Memory", r.memory());
        putIfSet(set, "MemorySwap", r.memorySwap());
        putIfSet(set, "MemoryReservation", r.memoryReservation());
        putIfSet(set, "KernelMemory", r.kernelMemory());
        putIfSet(set, "PidsLimit", r.pidsLimit());
        if (r.cpusetCpus() != null && !r.cpusetCpus().isEmpty()) {
            set.put("CpusetCpus", r.cpusetCpus());
        }
        if (r.cpusetMems() != null && !r.cpusetMems().isEmpty()) {
            set.put("CpusetMems", r.cpusetMems());
        }
        Map<String, Object> policy = null;
        if (request.get("RestartPolicy") instanceof Map<?, ?> p && p.get("Name") instanceof String name && !name.isEmpty()) {
            policy = new LinkedHashMap<>();
            policy.put("Name", name);
            policy.put("MaximumRetryCount", parsed.restartPolicy().maximumRetryCount());
        }
        return new UpdateContainer(containerId, set, policy);
    }

    private static void putIfSet(Map<String, Object> set, String field, long value) {
        if (value != 0) {
            set.put(field, value);
        }
    }
}
