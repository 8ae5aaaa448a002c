package io.tally.runtime.rootfs;

import io.tally.runtime.ContainerFiles;
import io.tally.runtime.ContainerRuntime.BindMount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The container's /etc/hostname, /etc/hosts and /etc/resolv.conf: written into the container's directory
 * and bind-mounted over the image's, so that they are right whatever the image holds and never land in
 * the container's own changes. Containers have loopback-only networking for now.
 */
public final class ContainerEtcFiles {

    static final String HOSTNAME = "/etc/hostname";
    static final String HOSTS = "/etc/hosts";
    static final String RESOLV_CONF = "/etc/resolv.conf";

    /** A resolver on the host's loopback is out of reach from the container's own network namespace. */
    private static final Pattern LOOPBACK_NAMESERVER =
            Pattern.compile("(?m)^\\s*nameserver\\s+(127\\.\\S*|::1|0:0:0:0:0:0:0:1)\\s*$");

    private final Path hostResolvConf;

    public ContainerEtcFiles(Path hostResolvConf) {
        this.hostResolvConf = hostResolvConf;
    }

    /** Writes the three files and returns their bind mounts. */
    public List<BindMount> write(ContainerFiles files, String hostname) throws IOException {
        Files.writeString(files.hostnameFile(), hostname == null || hostname.isBlank() ? "" : hostname + "\n");
        Files.writeString(files.hostsFile(), hosts(hostname));
        Files.writeString(files.resolvConfFile(), resolvConf(readHostResolvConf()));
        return List.of(
                new BindMount(files.hostnameFile().toString(), HOSTNAME, false),
                new BindMount(files.hostsFile().toString(), HOSTS, false),
                new BindMount(files.resolvConfFile().toString(), RESOLV_CONF, false));
    }

    static String hosts(String hostname) {
        StringBuilder hosts = new StringBuilder()
                .append("127.0.0.1\tlocalhost\n")
                .append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (hostname != null && !hostname.isBlank()) {
            hosts.append("127.0.0.1\t").append(hostname).append('\n');
        }
        return hosts.toString();
    }

    /** The host's file when it names no loopback resolver; an empty one otherwise (no DNS rather than a wrong one). */
    public static String resolvConf(String host) {
        if (host == null || LOOPBACK_NAMESERVER.matcher(host).find()) {
            return "";
        }
        return host.isEmpty() || host.endsWith("\n") ? host : host + "\n";
    }

    private String readHostResolvConf() {
        try {
            return Files.readString(hostResolvConf);
        } catch (IOException e) {
            return null;
        }
    }
}
