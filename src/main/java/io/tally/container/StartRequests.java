package io.tally.container;

import io.tally.container.create.Config;
import io.tally.container.create.HostConfig;
import io.tally.container.create.LogDriver;
import io.tally.runtime.ContainerRuntime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runtime's view of a container to start, read from its stored Config and HostConfig by the create request's reader. */
final class StartRequests {
    private StartRequests() {
    }

    static ContainerRuntime.StartRequest of(String id, Map<String, Object> config, Map<String, Object> hostConfig) {
        return of(id, Config.parse(config), HostConfig.parse(hostConfig));
    }

    static ContainerRuntime.StartRequest of(String id, Config c, HostConfig h) {
        List<String> args = new ArrayList<>();
        args.addAll(orEmpty(c.entrypoint()));
        args.addAll(orEmpty(c.cmd()));
        HostConfig.Resources r = h.resources();
        LogDriver log = LogDriver.of(h.logConfig());
        return new ContainerRuntime.StartRequest(
                id,
                orDefault(c.hostname(), id.substring(0, 12)),
                args,
                orEmpty(c.env()),
                orDefault(c.workingDir(), "/"),
                orDefault(c.user(), ""),
                c.tty(),
                c.openStdin(),
                c.stdinOnce(),
                h.privileged(),
                orEmpty(h.capAdd()),
                orEmpty(h.capDrop()),
                new ContainerRuntime.Resources(r.memory(), r.memorySwap(), r.cpuShares(), r.cpuQuota(), r.cpuPeriod(), r.nanoCpus(),
                        blankToNull(r.cpusetCpus()), blankToNull(r.cpusetMems()), r.pidsLimit()),
                binds(h),
                h.readonlyRootfs(),
                log.maxFileBytes(),
                log.maxFiles(),
                orEmpty(h.groupAdd()),
                log.keepsLogs());
    }

    /** The Binds, then the Mounts of type bind, in the order sent. */
    private static List<ContainerRuntime.BindMount> binds(HostConfig h) {
        return java.util.stream.Stream.concat(
                h.parsedBinds().stream().map(b -> new ContainerRuntime.BindMount(b.source(), b.target(), b.readOnly())),
                h.bindMounts().stream().map(m -> new ContainerRuntime.BindMount(m.source(), m.target(), m.readOnly(), m.propagation())))
                .toList();
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static String orDefault(String s, String dflt) {
        return s == null || s.isEmpty() ? dflt : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
