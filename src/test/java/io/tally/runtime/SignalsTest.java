package io.tally.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalsTest {
    @Test
    void namesNumbersAndPrefixes() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(10, Signals.parse("usr1"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(28, Signals.parse("WINCH"));
        assertEquals(37, Signals.parse("RTMIN+3"));
        assertEquals(62, Signals.parse("RTMAX-2"));
    }

    @Test
    void unknownSignalsAreRefused() {
        assertEquals("Invalid signal: FOO", assertThrows(IllegalArgumentException.class, () -> Signals.parse("FOO")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Signals.parse("65"));
    }
}
