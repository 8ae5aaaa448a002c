package io.tally.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenAddressTest {

    @Test
    void unixSocketNeedsAnAbsolutePath() {
        assertEquals(new ListenAddress.Unix(Path.of("/run/tally/tally.sock")), ListenAddress.parse("unix:///run/tally/tally.sock"));
        var e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse("unix://tally.sock"));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @Test
    void loopbackTcpIsAccepted() {
        assertEquals(new ListenAddress.Tcp("127.0.0.1", 2375), ListenAddress.parse("tcp://127.0.0.1:2375"));
        assertEquals(new ListenAddress.Tcp("localhost", 8080), ListenAddress.parse("tcp://localhost:8080"));
        assertEquals(new ListenAddress.Tcp("::1", 2375), ListenAddress.parse("tcp://[::1]:2375"));
        assertEquals(new ListenAddress.Tcp("127.0.0.1", 2375), ListenAddress.parse("tcp://127.0.0.1"), "Docker's default port");
        assertEquals("tcp://[::1]:2375", ListenAddress.parse("tcp://[::1]:2375").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://0.0.0.0:2375", "tcp://10.0.0.1:2375", "tcp://example.com:2375", "tcp://[::]:2375"})
    void nonLoopbackTcpIsRefusedUntilTls(String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(value));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "foo", "fd://", "http://127.0.0.1:1", "tcp://127.0.0.1:0", "tcp://127.0.0.1:70000", "tcp://127.0.0.1:1/path"})
    void malformedValuesAreRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(value));
    }
}
