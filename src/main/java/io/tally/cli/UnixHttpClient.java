package io.tally.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The little HTTP/1.1 the CLI needs, over tallyd's unix socket (the JDK's HTTP client speaks only
 * TCP): one request per connection ({@code Connection: close}), body by Content-Length, chunks or EOF.
 */
final class UnixHttpClient {
    record Response(int status, String body) {
    }

    private final Path socket;

    UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    Response send(String method, String pathAndQuery) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            String request = method + " " + pathAndQuery + " HTTP/1.1\r\nHost: tally\r\nUser-Agent: tally-cli\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            Channels.newOutputStream(ch).write(request.getBytes(StandardCharsets.US_ASCII));
            return read(Channels.newInputStream(ch));
        }
    }

    static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring("content-length:".length()).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        byte[] body;
        if (chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                out.write(in.readNBytes((int) size));
                line(in); // the CRLF after each chunk
            }
            body = out.toByteArray();
        } else {
            body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    private static long chunkSize(String line) {
        int semicolon = line.indexOf(';');
        String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
        return hex.isEmpty() ? 0 : Long.parseLong(hex, 16);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
