package io.tally.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.runtime.logfile.LogLine;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One output line as the Kafka log driver publishes it (key: the container id; value: this JSON).
 * {@code seq} counts the container's shipped lines from 1; a consumer keeps the highest it has seen
 * and drops anything not above it (an interrupted batch is sent again).
 */
final class LogLineRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogLineRecord() {
    }

    /** @param afterGap lines before this one were rotated away unshipped */
    static byte[] json(String containerId, String containerName, long seq, boolean afterGap, LogLine line) {
        String text = new String(line.content(), StandardCharsets.UTF_8);
        boolean partial = !text.endsWith("\n");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("containerId", containerId);
        m.put("containerName", containerName);
        m.put("seq", seq);
        m.put("stream", line.stream());
        m.put("time", line.time().toString());
        m.put("line", partial ? text : text.substring(0, text.length() - 1));
        m.put("partial", partial);
        if (afterGap) {
            m.put("afterGap", true);
        }
        try {
            return JSON.writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
