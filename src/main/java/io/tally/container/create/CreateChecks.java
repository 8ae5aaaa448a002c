package io.tally.container.create;

import io.tally.events.DomainException;
import io.tally.runtime.Signals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What Docker refuses at create, refused with Docker's words (daemon's verifyContainerSettings and the
 * decoder's checks), plus what Tally cannot do yet. Nothing here writes anything: a refused request
 * leaves no trace.
 */
public final class CreateChecks {
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final long MIN_HEALTHCHECK_NANOS = 1_000_000;
    private static final Set<String> NETWORK_MODES = Set.of("", "default", "bridge", "none");

    /**
     * The two facts about the host that Docker's checks need.
     *
     * @param pathExists whether a host path exists (a bind Mount's source must)
     */
    public record Host(int cpus, Predicate<String> pathExists) {
        public static Host local() {
            return new Host(Runtime.getRuntime().availableProcessors(), p -> Files.exists(Path.of(p)));
        }
    }

    private CreateChecks() {
    }

    static void check(CreateRequest request, Host host) {
        checkConfig(request.config());
        checkHostConfig(request.hostConfig(), host);
        checkResources(request.hostConfig().resources(), host);
    }

    /**
     * {@code docker update}: the HostConfig after the update must pass the create-time resource and restart
     * policy checks; {@code before} gives Docker's message for a memory limit above an unchanged swap limit.
     */
    public static void checkUpdate(HostConfig before, HostConfig after, Host host) {
        HostConfig.Resources b = before.resources();
        HostConfig.Resources a = after.resources();
        if (a.memory() != b.memory() && a.memorySwap() == b.memorySwap() && a.memorySwap() > 0 && a.memory() > a.memorySwap()) {
            throw DomainException.invalid("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
        }
        checkResources(a, host);
        after.restartPolicy().check();
    }

    private static void checkConfig(Config c) {
        if (c.workingDir() != null && !c.workingDir().isEmpty() && !c.workingDir().startsWith("/")) {
            throw DomainException.invalid("the working directory '" + c.workingDir() + "' is invalid, it needs to be an absolute path");
        }
        if (c.stopSignal() != null && !c.stopSignal().isEmpty()) {
            try {
                Signals.parse(c.stopSignal());
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid(e.getMessage());
            }
        }
        for (String env : orEmpty(c.env())) {
            if (env.isEmpty() || env.startsWith("=")) {
                throw DomainException.invalid("invalid environment variable: " + env);
            }
        }
        if (c.healthcheck() != null) {
            Config.Healthcheck h = c.healthcheck();
            checkHealthcheckDuration("Interval", h.intervalNanos());
            checkHealthcheckDuration("Timeout", h.timeoutNanos());
            if (h.retries() < 0) {
                throw DomainException.invalid("Retries in Healthcheck cannot be negative");
            }
            checkHealthcheckDuration("StartPeriod", h.startPeriodNanos());
        }
        orEmpty(c.exposedPorts()).forEach(PortSpecs::checkContainerPort);
    }

    private static void checkHealthcheckDuration(String field, long nanos) {
        if (nanos != 0 && nanos < MIN_HEALTHCHECK_NANOS) {
            throw DomainException.invalid(field + " in Healthcheck cannot be less than 1ms");
        }
    }

    private static void checkHostConfig(HostConfig h, Host host) {
        if (!h.networkMode().isEmpty() && !NETWORK_MODES.contains(h.networkMode())) {
            throw DomainException.invalid("network mode \"" + h.networkMode()
                    + "\" is not supported yet: containers get their own loopback-only network namespace");
        }
        if (!h.isolation().isEmpty() && !h.isolation().equals("default")) {
            throw DomainException.invalid("invalid isolation '" + h.isolation() + "' on linux");
        }
        if (h.autoRemove() && !h.restartPolicy().isNone()) {
            throw DomainException.invalid("can't create 'AutoRemove' container with restart policy");
        }
        for (Mount m : orEmpty(h.mounts())) {
            m.check(host.pathExists());
            m.refuseUnsupported();
        }
        if (h.tmpfs() != null && !h.tmpfs().isEmpty()) {
            throw DomainException.invalid("tmpfs mounts (--tmpfs) are not supported yet: "
                    + String.join(", ", h.tmpfs().keySet()) + "; bind a host directory instead");
        }
        h.parsedBinds();
        orEmpty(h.extraHosts()).forEach(CreateChecks::checkExtraHost);
        if (h.portBindings() != null) {
            h.portBindings().forEach((port, bindings) -> {
                PortSpecs.checkContainerPort(port);
                bindings.forEach(b -> PortSpecs.checkHostPort(b.hostPort()));
            });
        }
        h.restartPolicy().check();
        // a bad --log-driver or --log-opt is refused at create, as Docker does, not at the first start
        LogDriver.of(h.logConfig());
        // runc is the only OCI runtime; inspect shows it as HostConfig.Runtime
        if (!h.runtime().isEmpty() && !h.runtime().equals("runc")) {
            throw DomainException.invalid("Unknown runtime specified " + h.runtime());
        }
        if (h.shmSize() < 0) {
            throw DomainException.invalid("SHM size can not be less than 0");
        }
        if (h.oomScoreAdj() < -1000 || h.oomScoreAdj() > 1000) {
            throw DomainException.invalid("Invalid value " + h.oomScoreAdj() + ", range for oom score adj is [-1000, 1000]");
        }
    }

    private static void checkExtraHost(String entry) {
        int colon = entry.indexOf(':');
        if (colon <= 0) {
            throw DomainException.invalid("bad format for add-host: \"" + entry + "\"");
        }
        String address = entry.substring(colon + 1);
        if (!address.equals("host-gateway") && !IpAddresses.isLiteral(address)) {
            throw DomainException.invalid("invalid IP address in add-host: \"" + address + "\"");
        }
    }

    private static void checkResources(HostConfig.Resources r, Host host) {
        if (r.cpuRealtimePeriod() != 0 && r.cpuRealtimeRuntime() != 0 && r.cpuRealtimeRuntime() > r.cpuRealtimePeriod()) {
            throw DomainException.invalid("cpu real-time runtime cannot be higher than cpu real-time period");
        }
        long memory = r.memory();
        if (memory != 0 && memory < MIN_MEMORY) {
            throw DomainException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && r.memorySwap() > 0 && r.memorySwap() < memory) {
            throw DomainException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && r.memorySwap() > 0) {
            throw DomainException.invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        Long swappiness = r.memorySwappiness();
        if (swappiness != null && swappiness != -1 && (swappiness < 0 || swappiness > 100)) {
            throw DomainException.invalid("Invalid value: " + swappiness + ", valid memory swappiness range is 0-100");
        }
        if (r.memoryReservation() > 0 && r.memoryReservation() < MIN_MEMORY) {
            throw DomainException.invalid("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && r.memoryReservation() > 0 && memory < r.memoryReservation()) {
            throw DomainException.invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (r.kernelMemory() > 0 && r.kernelMemory() < MIN_MEMORY) {
            throw DomainException.invalid("Minimum kernel memory limit allowed is 6MB");
        }
        if (r.nanoCpus() > 0 && r.cpuPeriod() > 0) {
            throw DomainException.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (r.nanoCpus() > 0 && r.cpuQuota() > 0) {
            throw DomainException.invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (r.nanoCpus() < 0 || r.nanoCpus() > host.cpus() * 1_000_000_000L) {
            throw DomainException.invalid("Range of CPUs is from 0.01 to " + host.cpus() + ".00, as there are only "
                    + host.cpus() + " CPUs available");
        }
        if (r.cpuPeriod() != 0 && (r.cpuPeriod() < 1000 || r.cpuPeriod() > 1_000_000)) {
            throw DomainException.invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (r.cpuQuota() > 0 && r.cpuQuota() < 1000) {
            throw DomainException.invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        if (r.blkioWeight() > 0 && (r.blkioWeight() < 10 || r.blkioWeight() > 1000)) {
            throw DomainException.invalid("Range of blkio weight is from 10 to 1000");
        }
        if (r.ioMaximumBandwidth() != 0 || r.ioMaximumIOps() != 0) {
            throw DomainException.invalid("Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps");
        }
        if (r.pidsLimit() < -1) {
            throw DomainException.invalid("invalid pids limit");
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
