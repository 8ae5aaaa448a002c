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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarUnpackerTest {

    private static final FileTime FILE_TIME = FileTime.from(Instant.parse("2021-03-04T05:06:07.123456789Z"));
    private static final FileTime LINK_TIME = FileTime.from(Instant.parse("2019-01-02T03:04:05.5Z"));
    private static final FileTime DIR_TIME = FileTime.from(Instant.parse("2018-07-08T09:10:11Z"));
    private static final byte[] BINARY = {0, (byte) 0xff, (byte) 0x80, '\n', '=', 0x01};

    @TempDir
    Path target;

    private final NativeFs fs = NativeFs.get();

    private void unpack(TarBuilder tar) throws IOException {
        new TarUnpacker().unpack(new ByteArrayInputStream(tar.build()), target);
    }

    @Test
    void restoresEveryEntryKindWithItsMetadata() throws IOException {
        String longName = "deep/" + "d".repeat(120) + "/" + "f".repeat(150);
        unpack(new TarBuilder().add(
                dir("usr").mtime(DIR_TIME),
                dir("usr/bin").mode(0750).owner(0, 10).mtime(DIR_TIME),
                file("usr/bin/su", "#!suid").mode(04755).owner(0, 0).mtime(FILE_TIME),
                file("usr/bin/wall", "sgid").mode(02755).owner(0, 5),
                dir("tmp").mode(01777).mtime(DIR_TIME),
                file("home/user/notes", "hello").mode(0600).owner(1000, 1000)
                        .xattr("user.comment", "plain".getBytes(StandardCharsets.UTF_8))
                        .xattr("trusted.tally.binary", BINARY),
                symlink("usr/bin/sh", "../../bin/busybox").owner(1000, 1001).mtime(LINK_TIME),
                symlink("dangling", "/nowhere//with/trailing/").mtime(LINK_TIME),
                hardLink("usr/bin/su2", "usr/bin/su"),
                charDevice("dev/null", 1, 3).mode(0666),
                charDevice("dev/big", 300, 70000).mode(0600),
                blockDevice("dev/sda", 8, 0).mode(0660).owner(0, 6),
                fifo("run/pipe").mode(0620).owner(2, 3),
                file(longName, "long")));

        Lstat bin = Lstat.of(target.resolve("usr/bin"));
        assertEquals(Lstat.DIR, bin.type());
        assertEquals(0750, bin.permissions());
        assertEquals(10, bin.gid());
        assertEquals(DIR_TIME, bin.mtime(), "directory mtime is set after its content is written");
        assertEquals(DIR_TIME, Lstat.of(target.resolve("usr")).mtime());

        Lstat su = Lstat.of(target.resolve("usr/bin/su"));
        assertEquals(Lstat.REG, su.type());
        assertEquals(04755, su.permissions(), "setuid survives chown");
        assertEquals(FILE_TIME, su.mtime(), "nanosecond mtime from the PAX header");
        assertEquals("#!suid", Files.readString(target.resolve("usr/bin/su")));
        assertEquals(02755, Lstat.of(target.resolve("usr/bin/wall")).permissions());
        assertEquals(5, Lstat.of(target.resolve("usr/bin/wall")).gid());
        assertEquals(01777, Lstat.of(target.resolve("tmp")).permissions());

        Lstat notes = Lstat.of(target.resolve("home/user/notes"));
        assertEquals(0600, notes.permissions());
        assertEquals(1000, notes.uid());
        assertEquals(1000, notes.gid());
        assertArrayEquals("plain".getBytes(StandardCharsets.UTF_8), fs.lgetxattr(target.resolve("home/user/notes"), "user.comment"));
        assertArrayEquals(BINARY, fs.lgetxattr(target.resolve("home/user/notes"), "trusted.tally.binary"),
                "binary xattr values are kept byte for byte");
        assertEquals(0755, Lstat.of(target.resolve("home")).permissions(), "implicit parents are 0755");

        Lstat sh = Lstat.of(target.resolve("usr/bin/sh"));
        assertEquals(Lstat.LNK, sh.type());
        assertEquals(1000, sh.uid());
        assertEquals(1001, sh.gid());
        assertEquals(LINK_TIME, sh.mtime(), "symlink mtime is set on the link itself");
        assertEquals("../../bin/busybox", fs.readlink(target.resolve("usr/bin/sh")));
        assertEquals("/nowhere//with/trailing/", fs.readlink(target.resolve("dangling")), "targets are stored verbatim");

        Lstat su2 = Lstat.of(target.resolve("usr/bin/su2"));
        assertEquals(su.ino(), su2.ino(), "hard link shares the inode");
        assertEquals(2, su2.nlink());

        Lstat devNull = Lstat.of(target.resolve("dev/null"));
        assertEquals(Lstat.CHR, devNull.type());
        assertEquals(1, devNull.major());
        assertEquals(3, devNull.minor());
        assertEquals(0666, devNull.permissions());
        Lstat big = Lstat.of(target.resolve("dev/big"));
        assertEquals(300, big.major());
        assertEquals(70000, big.minor());
        Lstat sda = Lstat.of(target.resolve("dev/sda"));
        assertEquals(Lstat.BLK, sda.type());
        assertEquals(8, sda.major());
        assertEquals(0, sda.minor());
        assertEquals(6, sda.gid());
        Lstat pipe = Lstat.of(target.resolve("run/pipe"));
        assertEquals(Lstat.FIFO, pipe.type());
        assertEquals(0620, pipe.permissions());
        assertEquals(2, pipe.uid());
        assertEquals(3, pipe.gid());

        assertEquals("long", Files.readString(target.resolve(longName)), "PAX long names");
    }

    @Test
    void turnsOciWhiteoutsIntoOverlayWhiteouts() throws IOException {
        unpack(new TarBuilder().add(
                dir("etc"),
                file("etc/.wh.passwd", "").owner(0, 0),
                dir("var/cache"),
                file("var/cache/.wh..wh..opq", ""),
                file("var/cache/new", "x"),
                dir(".wh..wh.plnk"),
                file(".wh..wh.plnk/123.456", "aufs hard link target")));

        Lstat whiteout = Lstat.of(target.resolve("etc/passwd"));
        assertEquals(Lstat.CHR, whiteout.type());
        assertEquals(0, whiteout.rdev());
        assertFalse(Files.exists(target.resolve("etc/.wh.passwd")));
        assertArrayEquals(new byte[] {'y'}, fs.lgetxattr(target.resolve("var/cache"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(target.resolve("var/cache/.wh..wh..opq")));
        assertTrue(Files.exists(target.resolve("var/cache/new")));
        assertNull(fs.lgetxattr(target.resolve("etc"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(target.resolve(".wh..wh.plnk")), "AUFS metadata is skipped");
    }

    @Test
    void laterEntriesReplaceEarlierOnes() throws IOException {
        unpack(new TarBuilder().add(
                file("a", "first"),
                file("a", "second"),
                dir("b"),
                file("b/inner", "x"),
                file("b", "now a file"),
                dir("c").mode(0700),
                dir("c").mode(0711)));

        assertEquals("second", Files.readString(target.resolve("a")));
        assertEquals("now a file", Files.readString(target.resolve("b")));
        assertEquals(0711, Lstat.of(target.resolve("c")).permissions());
    }

    @Test
    void resolvesDotAndDotDotInsideTheLayer() throws IOException {
        unpack(new TarBuilder().add(
                dir("./"),
                dir("./x"),
                file("./x/../y", "y"),
                file("x//z", "z")));

        assertEquals("y", Files.readString(target.resolve("y")));
        assertEquals("z", Files.readString(target.resolve("x/z")));
    }

    @Test
    void refusesOverlayXattrsFromTheArchive() {
        var e = assertThrows(MaliciousLayerException.class, () -> unpack(new TarBuilder().add(
                dir("d").xattr("trusted.overlay.redirect", "/elsewhere".getBytes(StandardCharsets.UTF_8)))));
        assertTrue(e.getMessage().contains("'d/'"), e.getMessage());
        assertTrue(e.getMessage().contains("trusted.overlay.redirect"), e.getMessage());
    }

    @Test
    void refusesDamagedArchives() {
        byte[] tar = new TarBuilder().add(file("a", "content")).build();
        tar[148] = '9'; // checksum field
        assertThrows(InvalidLayerException.class,
                () -> new TarUnpacker().unpack(new ByteArrayInputStream(tar), target));
    }
}
