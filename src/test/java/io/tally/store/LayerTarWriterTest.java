package io.tally.store;

import static io.tally.store.TarBuilder.blockDevice;
import static io.tally.store.TarBuilder.charDevice;
import static io.tally.store.TarBuilder.dir;
import static io.tally.store.TarBuilder.fifo;
import static io.tally.store.TarBuilder.file;
import static io.tally.store.TarBuilder.hardLink;
import static io.tally.store.TarBuilder.symlink;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerTarWriterTest {

    private static final byte[] CAPABILITY_LIKE = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0};

    @TempDir
    Path temp;

    private final TarBuilder everything = new TarBuilder().add(
            dir("bin").mtime(FileTime.from(Instant.parse("2020-01-01T00:00:00Z"))),
            file("bin/busybox", "ELF...").mode(04755).mtime(FileTime.from(Instant.parse("2020-01-02T03:04:05.6Z"))),
            hardLink("bin/ls", "bin/busybox"),
            hardLink("bin/cat", "bin/busybox"),
            symlink("bin/sh", "busybox"),
            dir("tmp").mode(01777),
            file("home/tally/.profile", "export A=1\n").owner(1000, 1000).mode(0600)
                    .xattr("user.origin", "test".getBytes(StandardCharsets.UTF_8))
                    .xattr("trusted.tally.caps", CAPABILITY_LIKE),
            charDevice("dev/null", 1, 3),
            blockDevice("dev/loop0", 7, 0),
            fifo("run/initctl").mode(0600),
            file("usr/share/" + "n".repeat(90) + "/" + "é".repeat(40) + ".txt", "long and non-ASCII"),
            symlink("usr/share/long-link", "x".repeat(150)),
            file("etc/.wh.motd", ""),
            dir("var/cache"),
            file("var/cache/.wh..wh..opq", ""),
            file("var/cache/fresh", "new"));

    @Test
    void roundTripsATreeExactly() throws IOException {
        Path original = unpack(everything.build(), "original");

        byte[] written = write(original);
        Path copy = unpack(written, "copy");

        assertEquals(TreeSnapshot.of(original), TreeSnapshot.of(copy));
        assertArrayEquals(CAPABILITY_LIKE, NativeFs.get().lgetxattr(copy.resolve("home/tally/.profile"), "trusted.tally.caps"));
    }

    @Test
    void isDeterministic() throws IOException {
        Path original = unpack(everything.build(), "original");
        byte[] first = write(original);
        byte[] second = write(original);
        byte[] afterRoundTrip = write(unpack(first, "copy"));

        assertArrayEquals(first, second);
        assertArrayEquals(first, afterRoundTrip, "the same tree always has the same diff id");
    }

    @Test
    void writesSortedEntriesWithOciWhiteoutsAndHardLinks() throws IOException {
        Path original = unpack(everything.build(), "original");
        List<TarArchiveEntry> entries = entries(write(original));
        List<String> names = entries.stream().map(TarArchiveEntry::getName).toList();

        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        assertEquals(sorted.subList(0, 5), names.subList(0, 5), "depth-first in name order: " + names);
        assertTrue(names.contains("etc/.wh.motd"), names.toString());
        assertTrue(names.contains("var/cache/.wh..wh..opq"), names.toString());
        assertTrue(names.indexOf("var/cache/") < names.indexOf("var/cache/.wh..wh..opq"));
        TarArchiveEntry cat = entries.get(names.indexOf("bin/cat"));
        TarArchiveEntry ls = entries.get(names.indexOf("bin/ls"));
        TarArchiveEntry busybox = entries.get(names.indexOf("bin/busybox"));
        assertTrue(busybox.isFile());
        assertTrue(cat.isLink() && cat.getLinkName().equals("bin/busybox"), "first name in order is the file");
        assertTrue(ls.isLink() && ls.getLinkName().equals("bin/busybox"));
        assertEquals(04755, busybox.getMode());
        assertEquals("", busybox.getUserName(), "numeric owners only");
        assertEquals(Instant.parse("2020-01-02T03:04:05Z"), busybox.getLastModifiedTime().toInstant(),
                "times truncated to seconds");
        assertTrue(names.stream().noneMatch(n -> n.startsWith("./") || n.startsWith("/")));
    }

    @Test
    void gnuTarCanReadIt() throws IOException, InterruptedException {
        Path tar = temp.resolve("layer.tar");
        Files.write(tar, write(unpack(everything.build(), "original")));
        Process list = new ProcessBuilder("tar", "-tvf", tar.toString()).redirectErrorStream(true).start();
        String listing = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, list.waitFor(), listing);
        assertTrue(listing.contains("é".repeat(40) + ".txt"), listing);
        assertTrue(listing.contains("bin/ls link to bin/busybox"), listing);
        assertTrue(listing.contains("-> " + "x".repeat(150)), listing);
    }

    private Path unpack(byte[] tar, String name) throws IOException {
        Path dir = Files.createDirectory(temp.resolve(name));
        new TarUnpacker().unpack(new ByteArrayInputStream(tar), dir);
        return dir;
    }

    private static byte[] write(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.writeDirectoryAsTar(dir, out);
        return out.toByteArray();
    }

    private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
