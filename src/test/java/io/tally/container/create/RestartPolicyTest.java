package io.tally.container.create;

import io.tally.events.DomainException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RestartPolicyTest {

    private static RestartPolicy policy(String name, int max) {
        return RestartPolicy.of(Map.of("RestartPolicy", Map.of("Name", name, "MaximumRetryCount", max)));
    }

    @Test
    void onFailureStopsAfterMaxRetriesAndIgnoresSuccess() {
        RestartPolicy p = policy("on-failure", 2);
        assertTrue(p.restartsAfter(1, 0, false));
        assertTrue(p.restartsAfter(1, 1, false));
        assertFalse(p.restartsAfter(1, 2, false));
        assertFalse(p.restartsAfter(0, 0, false));
    }

    @Test
    void alwaysRestartsUnlessStopped() {
        assertTrue(policy("always", 0).restartsAfter(0, 100, false));
        assertFalse(policy("always", 0).restartsAfter(0, 0, true));
        assertFalse(RestartPolicy.of(Map.of()).restartsAfter(1, 0, false));
    }

    @Test
    void badPoliciesAreRefused() {
        var e = assertThrows(DomainException.class, () -> policy("sometimes", 0));
        assertTrue(e.getMessage().contains("invalid restart policy 'sometimes'"));
        assertThrows(DomainException.class, () -> policy("always", 3));
        assertThrows(DomainException.class, () -> policy("on-failure", -1));
    }

    @Test
    void backOffDoublesAndResetsAfterALongRun() {
        assertEquals(100, RestartPolicy.nextDelayMillis(0, Duration.ZERO));
        assertEquals(200, RestartPolicy.nextDelayMillis(100, Duration.ofSeconds(1)));
        assertEquals(60_000, RestartPolicy.nextDelayMillis(40_000, Duration.ofSeconds(1)));
        assertEquals(100, RestartPolicy.nextDelayMillis(6_400, Duration.ofSeconds(11)));
    }
}
