package io.tally.runtime.rootfs;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The root filesystem's option and table parsing and /etc files, without touching the host. */
class RootfsHelpersTest {

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
}
