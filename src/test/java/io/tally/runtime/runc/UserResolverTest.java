package io.tally.runtime.runc;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserResolverTest {
    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            tally:x:1000:1000:Tally:/home/tally:/bin/sh

            broken:x:abc:0::/nowhere:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """;
    static final String GROUP = """
            root:x:0:
            daemon:x:1:
            wheel:x:10:root
            audio:x:29:tally,daemon
            video:x:44:tally
            tally:x:1000:
            staff:x:50:
            nogroup:x:65534:
            """;

    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), PASSWD);
        Files.writeString(rootfs.resolve("etc/group"), GROUP);
    }

    private ResolvedUser resolve(String user, String... groupAdd) throws IOException {
        return UserResolver.resolve(rootfs, user, List.of(groupAdd));
    }

    @Test
    void emptyUserIsRootWithRootsGroups() throws IOException {
        assertEquals(new ResolvedUser(0, 0, List.of(0, 10), "/root"), resolve(""));
        assertEquals(new ResolvedUser(0, 0, List.of(0, 10), "/root"), resolve(null));
    }

    @Test
    void nameGivesPasswdIdsHomeAndSupplementaryGroups() throws IOException {
        assertEquals(new ResolvedUser(1000, 1000, List.of(1000, 29, 44), "/home/tally"), resolve("tally"));
        assertEquals(new ResolvedUser(1, 1, List.of(1, 29), "/usr/sbin"), resolve("daemon"));
    }

    @Test
    void numericUserInPasswdIsThatEntry() throws IOException {
        assertEquals(new ResolvedUser(1000, 1000, List.of(1000, 29, 44), "/home/tally"), resolve("1000"));
    }

    @Test
    void numericUserNotInPasswdGetsGidZeroAndHomeSlash() throws IOException {
        assertEquals(new ResolvedUser(4242, 0, List.of(0), "/"), resolve("4242"));
    }

    @Test
    void explicitGroupReplacesGidAndDropsSupplementaryGroups() throws IOException {
        assertEquals(new ResolvedUser(1000, 50, List.of(50), "/home/tally"), resolve("tally:staff"));
        assertEquals(new ResolvedUser(1000, 44, List.of(44), "/home/tally"), resolve("1000:44"));
        assertEquals(new ResolvedUser(4242, 4343, List.of(4343), "/"), resolve("4242:4343"));
        assertEquals(new ResolvedUser(4242, 29, List.of(29), "/"), resolve("4242:audio"));
    }

    @Test
    void unknownNamesFailWithDockersMessages() {
        var user = assertThrows(IllegalArgumentException.class, () -> resolve("ghost"));
        assertEquals("unable to find user ghost: no matching entries in passwd file", user.getMessage());
        var group = assertThrows(IllegalArgumentException.class, () -> resolve("tally:ghosts"));
        assertEquals("unable to find group ghosts: no matching entries in group file", group.getMessage());
        var added = assertThrows(IllegalArgumentException.class, () -> resolve("tally", "ghosts"));
        assertEquals("Unable to find group ghosts: no matching entries in group file", added.getMessage());
    }

    @Test
    void malformedLinesAreNotRoot() {
        // runc would read uid "abc" as 0; a broken entry must not become root
        assertThrows(IllegalArgumentException.class, () -> resolve("broken"));
    }

    @Test
    void outOfRangeIdsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> resolve("-5"));
        assertEquals("uids and gids must be in range 0-2147483647", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> resolve("3000000000"));
        assertThrows(IllegalArgumentException.class, () -> resolve("0:-1"));
    }

    @Test
    void groupAddTakesNamesAndNumbersAfterThePrimaryAndSupplementaryGroups() throws IOException {
        assertEquals(List.of(1000, 29, 44, 50, 777, 10), resolve("tally", "staff", "777", "wheel", "10").additionalGids());
        assertEquals(List.of(0, 10, 29), resolve("", "audio").additionalGids());
    }

    @Test
    void missingPasswdIsFineForNumbersNotForNames() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertEquals(new ResolvedUser(0, 0, List.of(0), "/"), resolve(""));
        assertEquals(new ResolvedUser(1000, 0, List.of(0), "/"), resolve("1000"));
        assertEquals(new ResolvedUser(1000, 1000, List.of(1000, 5), "/"), resolve("1000:1000", "5"));
        var e = assertThrows(IllegalArgumentException.class, () -> resolve("tally"));
        assertEquals("unable to find user tally: no matching entries in passwd file", e.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> resolve("1000:tally"));
        assertEquals("unable to find group tally: no matching entries in group file", g.getMessage());
    }

    @Test
    void passwdSymlinkPointingOutsideTheRootfsIsResolvedInsideIt(@TempDir Path host) throws IOException {
        // a "host" passwd that knows the user, outside the rootfs
        Path hostPasswd = host.resolve("passwd");
        Files.writeString(hostPasswd, "intruder:x:0:0::/root:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), hostPasswd);
        // absolute target: looked up as ROOTFS + target, which does not exist
        var e = assertThrows(IllegalArgumentException.class, () -> resolve("intruder"));
        assertEquals("unable to find user intruder: no matching entries in passwd file", e.getMessage());

        // relative target climbing out: ".." stops at the rootfs root
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"),
                rootfs.resolve("etc").relativize(hostPasswd));
        assertThrows(IllegalArgumentException.class, () -> resolve("intruder"));
        assertEquals(new ResolvedUser(7, 0, List.of(0), "/"), resolve("7"));
    }

    @Test
    void passwdSymlinkWithinTheRootfsIsFollowedThere() throws IOException {
        Files.createDirectories(rootfs.resolve("usr/lib"));
        Files.writeString(rootfs.resolve("usr/lib/passwd"), "alt:x:2000:2000::/home/alt:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        // absolute and climbing targets both mean the rootfs' own /usr/lib/passwd
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/../../../usr/lib/passwd"));
        assertEquals(new ResolvedUser(2000, 2000, List.of(2000), "/home/alt"), resolve("alt"));
        // a symlinked directory on the way, too
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.move(rootfs.resolve("etc"), rootfs.resolve("etc.real"));
        Files.createSymbolicLink(rootfs.resolve("etc"), Path.of("/etc.real"));
        Files.createSymbolicLink(rootfs.resolve("etc.real/passwd"), Path.of("../usr/lib/passwd"));
        assertEquals(2000, resolve("alt").uid());
    }

    @Test
    void symlinkLoopsAndNonRegularFilesAreRefused() throws IOException {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("/etc/passwd"));
        assertThrows(IOException.class, () -> resolve("tally"));
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createDirectory(rootfs.resolve("etc/passwd"));
        assertThrows(IOException.class, () -> resolve("tally"));
    }
}
