package io.tally.runtime.shim;

import io.tally.runtime.ContainerRuntime.ExitStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shim's notification and status lines, and the listeners that wait for them, without a shim. */
class ShimHelpersTest {

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
}
