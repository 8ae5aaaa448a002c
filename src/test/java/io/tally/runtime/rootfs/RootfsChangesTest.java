package io.tally.runtime.rootfs;

import io.tally.runtime.rootfs.ContainerFilesystem.Change;
import io.tally.runtime.rootfs.ContainerFilesystem.ChangeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** `docker diff` over an upper dir and a lower dir on disk: the daemon-managed /etc files are not changes. */
class RootfsChangesTest {

    @Test
    void mountPointsOfTheEtcFilesAreLeftOut(@TempDir Path tmp) throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
        Files.writeString(lower.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        mountPoints(upper);
        Files.createDirectories(upper.resolve("tmp"));
        Files.writeString(upper.resolve("tmp/new"), "x");

        assertEquals(List.of(new Change("/tmp", ChangeKind.ADDED), new Change("/tmp/new", ChangeKind.ADDED)),
                RootfsChanges.of(upper, List.of(tmp.resolve("lower"))));
    }

    @Test
    void etcStaysWhenTheContainerChangedSomethingElseInIt(@TempDir Path tmp) throws IOException {
        Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
        Files.writeString(lower.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        mountPoints(upper);
        Files.writeString(upper.resolve("etc/passwd"), "changed\n");

        assertEquals(List.of(new Change("/etc", ChangeKind.MODIFIED), new Change("/etc/passwd", ChangeKind.MODIFIED)),
                RootfsChanges.of(upper, List.of(tmp.resolve("lower"))));
    }

    private static void mountPoints(Path upper) throws IOException {
        Files.createDirectories(upper.resolve("etc"));
        for (String f : List.of("hostname", "hosts", "resolv.conf")) {
            Files.createFile(upper.resolve("etc").resolve(f));
        }
    }
}
