package io.tally.runtime.runc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** runc's error output as users see it. */
class RuncErrorsTest {

    @Test
    void runcErrorsLoseTheirLogDecoration() {
        var result = new CommandRunner.Result(1, "",
                "time=\"2026-01-01T00:00:00Z\" level=error msg=\"container \\\"x\\\" does not exist\"\n", false);
        assertEquals("container \"x\" does not exist", Runc.errorText(result));
        assertEquals("plain text", Runc.errorText(new CommandRunner.Result(1, "", "plain text\n", false)));
        assertEquals("exit status 2", Runc.errorText(new CommandRunner.Result(2, "", "", false)));
    }
}
