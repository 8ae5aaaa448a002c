package io.tally.container.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Docker's state words, which the API answers and the read models' rows carry. */
class ContainerStatusTest {
    @Test
    void eachStatusIsOneOfDockersWords() {
        assertEquals(List.of("created", "running", "paused", "restarting", "removing", "exited", "dead"),
                Arrays.stream(ContainerStatus.values()).map(ContainerStatus::word).toList());
    }

    @Test
    void aWordNamesItsStatusAndOnlyDockersWordsDo() {
        assertEquals(Optional.of(ContainerStatus.RESTARTING), ContainerStatus.named("restarting"));
        assertEquals(Optional.empty(), ContainerStatus.named("RUNNING"));
        assertEquals(Optional.empty(), ContainerStatus.named("removed"));
        assertThrows(IllegalArgumentException.class, () -> ContainerStatus.of("up"));
    }

    @Test
    void onlyARunningOrPausedContainerHasAProcess() {
        assertEquals(List.of(ContainerStatus.RUNNING, ContainerStatus.PAUSED),
                Arrays.stream(ContainerStatus.values()).filter(ContainerStatus::hasProcess).toList());
    }
}
