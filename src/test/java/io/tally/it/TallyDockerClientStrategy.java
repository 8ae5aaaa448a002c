package io.tally.it;

import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;

import java.net.URI;
import java.nio.file.Path;

/**
 * Points Testcontainers at the tallyd a test started. Testcontainers reads its Docker host only from
 * the environment or ~/.testcontainers.properties, neither of which a test may set, so this strategy
 * (registered in META-INF/services) takes it from the system property {@value #PROPERTY}, which
 * {@link #use(Path)} sets before the first call to DockerClientFactory. Without the property it is
 * not applicable and Testcontainers falls back to its usual strategies.
 */
public final class TallyDockerClientStrategy extends DockerClientProviderStrategy {
    static final String PROPERTY = "tally.it.docker.host";

    public static void use(Path socket) {
        System.setProperty(PROPERTY, "unix://" + socket);
    }

    @Override
    public String getDescription() {
        return "tallyd started by the test at " + System.getProperty(PROPERTY);
    }

    @Override
    protected boolean isApplicable() {
        return System.getProperty(PROPERTY) != null;
    }

    @Override
    protected boolean isPersistable() {
        return false;
    }

    @Override
    protected int getPriority() {
        return Integer.MAX_VALUE;
    }

    /**
     * Where the containers' published ports are reached. Testcontainers asks the daemon for the
     * gateway of its "bridge" network when it finds itself inside a container (/.dockerenv), as on
     * CI; tallyd here is a child of this JVM in the same network namespace, so that is localhost.
     */
    @Override
    public String getDockerHostIpAddress() {
        return "localhost";
    }

    @Override
    public TransportConfig getTransportConfig() throws InvalidConfigurationException {
        String host = System.getProperty(PROPERTY);
        if (host == null) {
            throw new InvalidConfigurationException("system property " + PROPERTY + " is not set");
        }
        return TransportConfig.builder().dockerHost(URI.create(host)).build();
    }
}
