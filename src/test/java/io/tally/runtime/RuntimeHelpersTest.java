package io.tally.runtime;

import io.tally.events.DomainException;
import io.tally.runtime.ContainerRuntime.BindMount;
import io.tally.runtime.ContainerRuntime.StartRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The runtime's parsing and formatting, without touching the host. */
class RuntimeHelpersTest {

    @Test
    void startErrorsMapToDockersExitCodes() {
        assertEquals(127, StartFailures.exitCodeFor("exec: \"nope\": executable file not found in $PATH"));
        assertEquals(127, StartFailures.exitCodeFor("exec: \"/nope\": stat /nope: no such file or directory"));
        assertEquals(126, StartFailures.exitCodeFor("exec: \"/etc\": permission denied"));
        assertEquals(128, StartFailures.exitCodeFor("cgroup: something"));
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

    private static StartRequest request(List<BindMount> binds) {
        return new StartRequest("c1", "c1", List.of("true"), List.of(), "/", "", false, false, false, false, List.of(),
                List.of(), ContainerRuntime.Resources.NONE, binds, false, 0, 0, List.of(), true);
    }
}
