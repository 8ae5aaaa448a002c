package io.tally.daemon;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * One {@code -H} value: where the API listens. Only unix sockets and loopback tcp are accepted
 * because plain tcp without TLS would hand root on this host to anyone on the network.
 */
public sealed interface ListenAddress {

    String DEFAULT = "unix:///run/tally/tally.sock";

    record Unix(Path path) implements ListenAddress {
        @Override public String toString() { return "unix://" + path; }
    }

    record Tcp(String host, int port) implements ListenAddress {
        @Override public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    static ListenAddress parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty -H value; expected unix:///path/to.sock or tcp://127.0.0.1:PORT");
        }
        if (value.startsWith("unix://")) {
            String path = value.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("invalid -H value \"" + value + "\": a unix socket needs an absolute path, like unix:///run/tally/tally.sock");
            }
            return new Unix(Path.of(path).normalize());
        }
        if (value.startsWith("tcp://")) {
            return parseTcp(value);
        }
        throw new IllegalArgumentException("invalid -H value \"" + value + "\": expected unix:///path/to.sock or tcp://127.0.0.1:PORT");
    }

    private static Tcp parseTcp(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid -H value \"" + value + "\": not a valid tcp://HOST:PORT address");
        }
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 2375 : uri.getPort();
        if (host == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
            throw new IllegalArgumentException("invalid -H value \"" + value + "\": expected tcp://HOST:PORT");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid -H value \"" + value + "\": port must be 1-65535");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!isLoopback(bare)) {
            throw new IllegalArgumentException("refusing -H " + value + ": tcp is limited to loopback (127.0.0.1, ::1, localhost) until TLS is supported");
        }
        return new Tcp(bare, port);
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+") && !host.contains(":")) {
            return false; // a name other than localhost could resolve anywhere; only literal addresses
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
