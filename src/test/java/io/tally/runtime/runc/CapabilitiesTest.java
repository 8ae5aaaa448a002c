package io.tally.runtime.runc;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilitiesTest {
    /** Every capability up to CAP_CHECKPOINT_RESTORE (40). */
    static final long FULL = (1L << 41) - 1;
    /** Like the sandbox this was written in: everything but CAP_SYS_RESOURCE (24). */
    static final long NO_SYS_RESOURCE = FULL & ~(1L << 24);
    static final Capabilities ALL_HOST = new Capabilities(FULL);

    @Test
    void defaultsAreMobysFourteenInMobysOrder() {
        assertEquals(Capabilities.DOCKER_DEFAULT, ALL_HOST.resolve(false, List.of(), List.of()));
        assertEquals(14, Capabilities.DOCKER_DEFAULT.size());
        assertEquals(0xa80425fbL, Capabilities.mask(Capabilities.DOCKER_DEFAULT));
    }

    @Test
    void knowsTheWholeListUpToCheckpointRestore() {
        assertEquals(41, Capabilities.KNOWN.size());
        assertEquals(21, Capabilities.KNOWN.indexOf("CAP_SYS_ADMIN"));
        assertEquals(40, Capabilities.KNOWN.indexOf("CAP_CHECKPOINT_RESTORE"));
        assertEquals(39, Capabilities.KNOWN.indexOf("CAP_BPF"));
    }

    @Test
    void addAndDropAcceptAnyCaseWithOrWithoutPrefixAndSort() {
        List<String> caps = ALL_HOST.resolve(false, List.of("net_admin", "CAP_SYS_PTRACE", "Sys_Admin"),
                List.of("cap_mknod", "NET_RAW", "kill"));
        List<String> expected = new ArrayList<>(Capabilities.DOCKER_DEFAULT);
        expected.removeAll(List.of("CAP_MKNOD", "CAP_NET_RAW", "CAP_KILL"));
        expected.addAll(List.of("CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_ADMIN"));
        assertEquals(expected.stream().sorted().toList(), caps);
        // adding a default is not a duplicate
        assertEquals(Capabilities.DOCKER_DEFAULT.stream().sorted().toList(),
                ALL_HOST.resolve(false, List.of("CHOWN"), List.of()));
    }

    @Test
    void dropAllKeepsOnlyTheAdded() {
        assertEquals(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE"),
                ALL_HOST.resolve(false, List.of("NET_BIND_SERVICE", "chown"), List.of("ALL")));
        assertEquals(List.of(), ALL_HOST.resolve(false, List.of(), List.of("all")));
    }

    @Test
    void addAllGivesEverythingTheHostHasButTheDropped() {
        Capabilities host = new Capabilities(NO_SYS_RESOURCE);
        List<String> caps = host.resolve(false, List.of("all"), List.of("SYS_ADMIN"));
        assertEquals(39, caps.size());
        assertFalse(caps.contains("CAP_SYS_ADMIN"));
        assertFalse(caps.contains("CAP_SYS_RESOURCE"));
        assertEquals(caps.stream().sorted().toList(), caps);
    }

    @Test
    void privilegedIsTheBoundingSetInNumberOrderIgnoringAddAndDrop() {
        Capabilities host = new Capabilities(NO_SYS_RESOURCE);
        List<String> caps = host.resolve(true, List.of(), List.of("ALL"));
        assertEquals(40, caps.size());
        assertEquals("CAP_CHOWN", caps.get(0));
        assertEquals("CAP_CHECKPOINT_RESTORE", caps.get(39));
        assertEquals(NO_SYS_RESOURCE, Capabilities.mask(caps));
    }

    @Test
    void unknownCapabilitiesAreInvalid() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ALL_HOST.resolve(false, List.of("NET_ADMIN", "FLY"), List.of()));
        assertEquals("invalid capability: FLY", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ALL_HOST.resolve(false, List.of(), List.of("cap_nope")));
        assertEquals("invalid capability: cap_nope", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ALL_HOST.resolve(false, List.of("CAP_ALL"), List.of()));
    }

    @Test
    void addingACapabilityTheHostLacksFailsClearly() {
        Capabilities host = new Capabilities(NO_SYS_RESOURCE);
        var e = assertThrows(IllegalArgumentException.class,
                () -> host.resolve(false, List.of("sys_resource"), List.of()));
        assertTrue(e.getMessage().startsWith("capability CAP_SYS_RESOURCE is not available on this host"), e.getMessage());
        // a default the host lacks is left out silently (it can only lower privileges)
        Capabilities noKill = new Capabilities(FULL & ~(1L << 5));
        assertFalse(noKill.resolve(false, List.of(), List.of()).contains("CAP_KILL"));
    }

    @Test
    void readsThisProcesssBoundingSet() throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        long bnd = Capabilities.parseStatus(status, "CapBnd");
        assertEquals(bnd, Capabilities.ofThisHost().boundingMask());
        assertEquals(0x000001fffeffffffL, Capabilities.parseStatus("CapBnd:\t000001fffeffffff\n", "CapBnd"));
    }
}
