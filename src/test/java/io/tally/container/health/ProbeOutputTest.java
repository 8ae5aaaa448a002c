package io.tally.container.health;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProbeOutputTest {
    @Test
    void outputBeyondFourKibIsCutAndMarked() {
        ProbeOutput out = new ProbeOutput();
        out.append("x".repeat(4000).getBytes(StandardCharsets.UTF_8));
        out.append("y".repeat(200).getBytes(StandardCharsets.UTF_8));
        out.append("z".getBytes(StandardCharsets.UTF_8));
        assertEquals("x".repeat(4000) + "y".repeat(96) + "...", out.text());
    }

    @Test
    void shortOutputIsKeptWhole() {
        ProbeOutput out = new ProbeOutput();
        out.append("ok\n".getBytes(StandardCharsets.UTF_8));
        out.append("err\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("ok\nerr\n", out.text());
    }
}
