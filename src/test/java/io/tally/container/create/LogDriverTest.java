package io.tally.container.create;

import io.tally.events.DomainException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogDriverTest {
    private static Map<String, Object> hostConfig(String type, Map<String, Object> config) {
        return Map.of("LogConfig", Map.of("Type", type, "Config", config));
    }

    @Test
    void theDefaultIsDockersJsonFileAndTheFileDriversKeepLogs() {
        assertEquals("json-file", LogDriver.of(Map.of()).type());
        assertEquals("json-file", LogDriver.of(hostConfig("", Map.of())).type());
        assertEquals(LogDriver.LOCAL, LogDriver.of(hostConfig("local", Map.of())).type());
        assertFalse(LogDriver.of(hostConfig("json-file", Map.of("max-size", "10m", "max-file", "3"))).shipsToKafka());
        assertTrue(LogDriver.of(Map.of()).keepsLogs());
        assertTrue(LogDriver.of(hostConfig("kafka", Map.of())).keepsLogs());
    }

    @Test
    void noneKeepsNothingAndTakesNoOptions() {
        LogDriver none = LogDriver.of(hostConfig("none", Map.of()));
        assertFalse(none.keepsLogs());
        assertFalse(none.shipsToKafka());
        assertEquals("unknown log opt 'max-size' for none log driver",
                assertThrows(DomainException.class, () -> LogDriver.of(hostConfig("none", Map.of("max-size", "1m")))).getMessage());
    }

    @Test
    void kafkaHasADefaultTopicAndTakesAnother() {
        LogDriver plain = LogDriver.of(hostConfig("kafka", Map.of()));
        assertTrue(plain.shipsToKafka());
        assertEquals("tally.logs", plain.topic("tally.logs"));
        assertEquals("app-logs", LogDriver.of(hostConfig("kafka", Map.of("topic", "app-logs", "max-size", "1m"))).topic("tally.logs"));
    }

    @Test
    void unknownDriversOptionsAndTopicNamesAreRefused() {
        assertEquals("logging driver \"syslog\" is not supported: use json-file (the default), local, kafka or none",
                assertThrows(DomainException.class, () -> LogDriver.of(hostConfig("syslog", Map.of()))).getMessage());
        assertEquals("unknown log opt 'topic' for local log driver",
                assertThrows(DomainException.class, () -> LogDriver.of(hostConfig("local", Map.of("topic", "x")))).getMessage());
        assertThrows(DomainException.class, () -> LogDriver.of(hostConfig("kafka", Map.of("topic", "no spaces"))));
    }
}
