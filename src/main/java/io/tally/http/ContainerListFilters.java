package io.tally.http;

import io.tally.container.ContainerJson;
import io.tally.container.create.HostConfig;
import io.tally.container.query.ContainerView;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The container list filters of API 1.41 about mounts, networks, ports and isolation, with Docker's rules
 * (daemon/list.go) applied to what Tally containers have: binds as their only mounts, the "none" network
 * only, no published ports, no swarm tasks.
 */
final class ContainerListFilters {
    static final Set<String> KEYS = Set.of("volume", "network", "publish", "expose", "isolation", "is-task");
    private static final String ONLY_NETWORK = "none";

    private ContainerListFilters() {
    }

    static Predicate<ContainerView> of(DockerFilters f) {
        Predicate<ContainerView> p = c -> true;
        if (f.has("volume")) {
            // a bind matches by its host path or its path in the container
            p = p.and(c -> hostConfig(c).parsedBinds().stream()
                    .anyMatch(b -> f.get("volume").contains(b.source()) || f.get("volume").contains(b.target())));
        }
        if (f.has("network")) {
            p = p.and(c -> f.get("network").contains(ONLY_NETWORK));
        }
        if (f.has("publish")) {
            f.get("publish").forEach(ContainerListFilters::port);
            p = p.and(c -> false); // nothing is published before networking exists
        }
        if (f.has("expose")) {
            Set<String> wanted = f.get("expose").stream().map(ContainerListFilters::port).collect(java.util.stream.Collectors.toSet());
            p = p.and(c -> ContainerJson.map(c.config).get("ExposedPorts") instanceof Map<?, ?> exposed
                    && exposed.keySet().stream().anyMatch(k -> wanted.contains(k.toString())));
        }
        if (f.has("isolation")) {
            p = p.and(c -> f.get("isolation").contains(hostConfig(c).isolation()));
        }
        if (f.has("is-task")) {
            Boolean task = f.bool("is-task");
            p = p.and(c -> !Boolean.TRUE.equals(task)); // no container is a swarm task
        }
        return p;
    }

    /** {@code 80} or {@code 80/tcp} as Docker keys exposed ports; anything else is Docker's 400. */
    private static String port(String value) {
        String[] parts = value.split("/", 2);
        if (!parts[0].matches("\\d{1,5}") || Integer.parseInt(parts[0]) > 65535
                || (parts.length == 2 && !Set.of("tcp", "udp", "sctp").contains(parts[1]))) {
            throw DockerApiException.badRequest("invalid filter '" + value + "': invalid port format");
        }
        return parts[0] + "/" + (parts.length == 2 ? parts[1] : "tcp");
    }

    private static HostConfig hostConfig(ContainerView c) {
        return HostConfig.parse(ContainerJson.map(c.hostConfig));
    }
}
