package io.tally.container.create;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a string is an IPv4 or IPv6 address literal, decided without asking any resolver. */
final class IpAddresses {
    private static final String BYTE = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

    private IpAddresses() {
    }

    static boolean isLiteral(String s) {
        if (s.matches(BYTE + "(\\." + BYTE + "){3}")) {
            return true;
        }
        if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+")) {
            return false;
        }
        try {
            // with a colon and only hex digits, dots and colons, this parses a literal and never resolves a name
            InetAddress.getByName("[" + s + "]");
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
