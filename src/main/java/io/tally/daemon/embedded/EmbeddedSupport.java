package io.tally.daemon.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** What the embedded servers share: private directories, loopback ports, lock checks. */
final class EmbeddedSupport {

    private EmbeddedSupport() {
    }

    /** Creates dir if needed and makes it readable by its owner (root) only: it holds the daemon's data. */
    static Path privateDirectory(Path dir) throws IOException {
        dir = dir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByName("127.0.0.1");
    }

    static int freeLoopbackPortOtherThan(int taken) throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
                if (socket.getLocalPort() != taken) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    static boolean isFreeLoopbackPort(int port) {
        try (ServerSocket ignored = new ServerSocket(port, 1, loopback())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Both servers hold a file lock while they run; checking it first keeps a second start on the
     * same directory from touching anything the running one uses.
     */
    static void ensureUnlocked(Path lockFile, String what) throws IOException {
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IOException(what + " in " + lockFile.getParent() + " is in use by another process");
            }
        } catch (OverlappingFileLockException e) {
            throw new IOException(what + " in " + lockFile.getParent() + " is already running in this JVM", e);
        }
    }
}
