package io.tally.container.create;

import io.tally.events.DomainException;

import java.util.Set;

/** Port specs ({@code 80/tcp}) and host ports ({@code 8080}, {@code 8000-8010}) read with Docker's rules. */
final class PortSpecs {
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");

    private PortSpecs() {
    }

    /** A container port spec: a port number, then optionally a protocol. */
    static void checkContainerPort(String spec) {
        String[] protoPort = splitProtoPort(spec);
        if (!protoPort[1].isEmpty() && portNumber(protoPort[1]) < 0) {
            throw DomainException.invalid("invalid port specification: \"" + protoPort[1] + "\"");
        }
        if (!protoPort[0].isEmpty() && !PROTOCOLS.contains(protoPort[0].toLowerCase())) {
            throw DomainException.invalid("invalid proto: " + protoPort[0]);
        }
    }

    /** A binding's host port: empty (the engine picks one), a port, or a range low-high. */
    static void checkHostPort(String hostPort) {
        String port = splitProtoPort(hostPort)[1];
        if (port.isEmpty()) {
            return;
        }
        String[] range = port.split("-", -1);
        boolean valid = range.length <= 2 && portNumber(range[0]) >= 0
                && (range.length == 1 || (portNumber(range[1]) >= 0 && portNumber(range[1]) >= portNumber(range[0])));
        if (!valid) {
            throw DomainException.invalid("invalid port specification: \"" + hostPort + "\"");
        }
    }

    /** @return {protocol, port} as Docker's SplitProtoPort splits them (tcp when no protocol is given) */
    private static String[] splitProtoPort(String raw) {
        String[] parts = raw.split("/", -1);
        if (raw.isEmpty() || parts[0].isEmpty()) {
            return new String[] {"", ""};
        }
        if (parts.length == 1 || parts[1].isEmpty()) {
            return new String[] {"tcp", parts[0]};
        }
        return new String[] {parts[1], parts[0]};
    }

    /** @return the port, or -1 when it is not a number from 0 to 65535 */
    private static int portNumber(String s) {
        if (!s.matches("[0-9]{1,5}")) {
            return -1;
        }
        int n = Integer.parseInt(s);
        return n <= 65535 ? n : -1;
    }
}
