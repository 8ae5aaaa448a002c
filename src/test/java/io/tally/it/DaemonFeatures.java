package io.tally.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.VersionComponent;

import java.util.Map;

/** What the daemon says it can do, read from the details of the Tally component of /version (docs/clients.md). */
final class DaemonFeatures {
    private DaemonFeatures() {
    }

    static boolean portPublishing(DockerClient client) {
        return "true".equals(tallyDetails(client).get("PortPublishing"));
    }

    private static Map<String, String> tallyDetails(DockerClient client) {
        return client.versionCmd().exec().getComponents().stream()
                .filter(c -> "Tally".equals(c.getName()))
                .map(VersionComponent::getDetails)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the daemon's /version has no Tally component"));
    }
}
