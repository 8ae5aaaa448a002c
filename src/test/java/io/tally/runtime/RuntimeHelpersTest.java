package io.tally.runtime;

import io.tally.events.DomainException;
import io.tally.runtime.rootfs.ContainerEtcFiles;
import io.tally.runtime.rootfs.MountTable;
import io.tally.runtime.rootfs.OverlayOptions;
import io.tally.runtime.runc.CommandRunner;
import io.tally.runtime.runc.Runc;
import io.tally.runtime.shim.BufferedListeners;
import io.tally.runtime.shim.ShimNotification;
import io.tally.runtime.shim.ShimStatus;
import io.tally.runtime.ContainerRuntime.BindMount;
import io.tally.runtime.ContainerRuntime.ExitStatus;
import io.tally.runtime.ContainerRuntime.StartRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's parsing and formatting, without touching the host. */
class RuntimeHelpersTest {

    @Test
    void overlayOptionsAreAbsoluteWhileTheyFitAPage() {
        String data = OverlayOptions.absolute(List.of(Path.of("/l/top"), Path.of("/l/bottom")), Path.of("/c/upper"),
                Path.of("/c/work"), List.of("index=off")).orElseThrow();
        assertEquals("lowerdir=/l/top:/l/bottom,upperdir=/c/upper,workdir=/c/work,index=off", data);
        assertTrue(OverlayOptions.fits(data));
        assertFalse(OverlayOptions.fits("x".repeat(4096)), "the NUL must fit in the page too");
        assertTrue(OverlayOptions.fits("x".repeat(4095)));
    }

    @Test
    void pathsOverlayWouldSplitOnNeedTheLinkForm() {
        for (String bad : List.of("/l/a:b", "/l/a,b", "/l/a\\b")) {
            assertTrue(OverlayOptions.absolute(List.of(Path.of(bad)), Path.of("/u"), Path.of("/w"), List.of()).isEmpty(), bad);
        }
        assertEquals("lowerdir=0:1:2,upperdir=../upper,workdir=../work,index=off,metacopy=off",
                OverlayOptions.relative(3, List.of("index=off", "metacopy=off")));
        assertTrue(OverlayOptions.fits(OverlayOptions.relative(500, List.of("index=off", "metacopy=off"))),
                "overlay's maximum stack of 500 layers fits in the short form");
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertEquals("/a b\tc\\d", MountTable.unescape("/a\\040b\\011c\\134d"));
        assertEquals("/plain", MountTable.unescape("/plain"));
        assertEquals("/odd\\9", MountTable.unescape("/odd\\9"));
    }

    @Test
    void notificationLinesAreParsed() {
        assertEquals(Optional.of(new ShimNotification.ContainerExit("abc", 3)), ShimNotification.parse("EXIT abc 3"));
        assertEquals(Optional.of(new ShimNotification.ExecExit("abc", 0, Path.of("/x/exec 1"))),
                ShimNotification.parse("EXEC_EXIT abc 0 /x/exec 1"));
        assertTrue(ShimNotification.parse("EXIT ../evil 3").isEmpty());
        assertTrue(ShimNotification.parse("EXIT abc x").isEmpty());
        assertTrue(ShimNotification.parse("HELLO").isEmpty());
        assertTrue(ShimNotification.parse("EXEC_EXIT abc 0 relative").isEmpty());
    }

    @Test
    void shimStatusRepliesAreParsed() {
        assertEquals(new ShimStatus.Created(12), ShimStatus.parse("CREATED 12\n"));
        assertEquals(new ShimStatus.Running(34), ShimStatus.parse("RUNNING 34\n"));
        assertEquals(new ShimStatus.Exited(new ExitStatus(137, 9, true, Instant.parse("2024-05-01T10:11:12.123456789Z"), null)),
                ShimStatus.parse("EXITED 137 9 1 2024-05-01T10:11:12.123456789Z\n"));
        assertEquals(new ShimStatus.Failed("exec: \"x\": executable file not found in $PATH"),
                ShimStatus.parse("FAILED exec: \"x\": executable file not found in $PATH\n"));
        assertThrows(IllegalArgumentException.class, () -> ShimStatus.parse("EXITED 1"));
        assertThrows(IllegalArgumentException.class, () -> ShimStatus.parse("ERR unknown command"));
    }

    @Test
    void resolvConfIsTheHostsUnlessItNamesALoopbackResolver() {
        assertEquals("nameserver 10.0.0.2\nsearch example.org\n",
                ContainerEtcFiles.resolvConf("nameserver 10.0.0.2\nsearch example.org"));
        assertEquals("", ContainerEtcFiles.resolvConf("nameserver 127.0.0.53\noptions edns0\n"));
        assertEquals("", ContainerEtcFiles.resolvConf("nameserver 10.0.0.2\nnameserver ::1\n"));
        assertEquals("", ContainerEtcFiles.resolvConf(null));
        assertEquals("# nameserver 127.0.0.1 is commented out\nnameserver 10.1.1.1\n",
                ContainerEtcFiles.resolvConf("# nameserver 127.0.0.1 is commented out\nnameserver 10.1.1.1\n"));
    }

    @Test
    void hostsNamesLocalhostAndTheHostname() {
        String hosts = ContainerEtcFiles.hosts("box");
        assertTrue(hosts.contains("127.0.0.1\tlocalhost\n"), hosts);
        assertTrue(hosts.contains("127.0.0.1\tbox\n"), hosts);
        assertFalse(ContainerEtcFiles.hosts("").contains("\t\n"));
    }

    @Test
    void startErrorsMapToDockersExitCodes() {
        assertEquals(127, StartFailures.exitCodeFor("exec: \"nope\": executable file not found in $PATH"));
        assertEquals(127, StartFailures.exitCodeFor("exec: \"/nope\": stat /nope: no such file or directory"));
        assertEquals(126, StartFailures.exitCodeFor("exec: \"/etc\": permission denied"));
        assertEquals(128, StartFailures.exitCodeFor("cgroup: something"));
    }

    @Test
    void runcErrorsLoseTheirLogDecoration() {
        var result = new CommandRunner.Result(1, "",
                "time=\"2026-01-01T00:00:00Z\" level=error msg=\"container \\\"x\\\" does not exist\"\n", false);
        assertEquals("container \"x\" does not exist", Runc.errorText(result));
        assertEquals("plain text", Runc.errorText(new CommandRunner.Result(1, "", "plain text\n", false)));
        assertEquals("exit status 2", Runc.errorText(new CommandRunner.Result(2, "", "", false)));
    }

    @Test
    void etcFilesComeFirstAndAUsersBindOfTheSamePathWins() {
        List<BindMount> etc = List.of(new BindMount("/c/hostname", "/etc/hostname", false),
                new BindMount("/c/hosts", "/etc/hosts", false));
        StartRequest request = request(List.of(new BindMount("/mine/hosts", "/etc/hosts/", true),
                new BindMount("/data", "/data", false)));
        List<BindMount> binds = HostContainerRuntime.withEtcBinds(request, etc).binds();
        assertEquals(List.of(etc.get(0), request.binds().get(0), request.binds().get(1)), binds);
    }

    @Test
    void idsThatCouldLeaveTheContainersDirectoryAreRefused() throws Exception {
        for (String bad : new String[] {"", "..", ".hidden", "a/b", "a b", "x".repeat(129), null}) {
            DomainException f = assertThrows(DomainException.class, () -> ContainerIds.require(bad), String.valueOf(bad));
            assertEquals(DomainException.Kind.INVALID_CONFIG, f.kind());
        }
        assertEquals("a1.b_c+d-e", ContainerIds.require("a1.b_c+d-e"));
    }

    @Test
    void interimWriterTakesNumericUsersOnly() throws Exception {
        assertEquals(List.of(0L, 0L), longs(InterimBundleWriter.numericUser("")));
        assertEquals(List.of(1000L, 0L), longs(InterimBundleWriter.numericUser("1000")));
        assertEquals(List.of(1000L, 100L), longs(InterimBundleWriter.numericUser("1000:100")));
        DomainException f = assertThrows(DomainException.class, () -> InterimBundleWriter.numericUser("nobody"));
        assertEquals(DomainException.Kind.INVALID_CONFIG, f.kind());
    }

    @Test
    void listenersGetWhatArrivedBeforeTheyRegistered() {
        BufferedListeners<String> listeners = new BufferedListeners<>(2);
        listeners.publish("a");
        listeners.publish("b");
        listeners.publish("c");
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        listeners.add(first::add);
        assertEquals(List.of("b", "c"), first, "bounded: the oldest is dropped");
        listeners.add(second::add);
        listeners.publish("d");
        assertEquals(List.of("b", "c", "d"), first);
        assertEquals(List.of("d"), second);
    }

    private static List<Long> longs(long[] values) {
        return List.of(values[0], values[1]);
    }

    private static StartRequest request(List<BindMount> binds) {
        return new StartRequest("c1", "c1", List.of("true"), List.of(), "/", "", false, false, false, false, List.of(),
                List.of(), ContainerRuntime.Resources.NONE, binds, false, 0, 0);
    }
}
