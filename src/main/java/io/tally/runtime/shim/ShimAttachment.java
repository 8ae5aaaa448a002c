package io.tally.runtime.shim;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One ATTACH session on a tally-shim control socket (src/native/README.md): output arrives as
 * frames {@code [stream][len32]payload}; stream 3 ends the session with the exit status. Input is
 * raw stdin; ending it is a half-close.
 */
public final class ShimAttachment implements Attachment {
    private static final int EXIT = 3;

    private final SocketChannel channel;

    private ShimAttachment(SocketChannel channel) {
        this.channel = channel;
    }

    public static ShimAttachment open(Path controlSocket, boolean stdin, boolean stdout, boolean stderr) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(controlSocket));
            writeFully(ch, ByteBuffer.wrap(("ATTACH " + bit(stdin) + " " + bit(stdout) + " " + bit(stderr) + "\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            String reply = readLine(ch);
            if (!"OK".equals(reply)) {
                throw new IOException("tally-shim refused attach: " + reply);
            }
            return new ShimAttachment(ch);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public Frame next() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(5);
        if (!readFully(channel, header)) {
            return null;
        }
        int stream = header.get(0) & 0xff;
        ByteBuffer payload = ByteBuffer.allocate(header.getInt(1));
        if (!readFully(channel, payload) || stream == EXIT) {
            return null;
        }
        return new Frame(stream, payload.array());
    }

    @Override
    public void writeStdin(byte[] data) throws IOException {
        writeFully(channel, ByteBuffer.wrap(data));
    }

    @Override
    public void endStdin() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }

    private static String readLine(SocketChannel ch) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.length() < 256) {
            one.clear();
            if (ch.read(one) < 0) {
                break;
            }
            char c = (char) one.get(0);
            if (c == '\n') {
                return line.toString();
            }
            line.append(c);
        }
        return line.toString();
    }

    private static boolean readFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
