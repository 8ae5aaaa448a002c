package io.tally.history;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One event of an aggregate's history as {@code /tally/v1/…/history} shows it.
 *
 * @param sequence    the event's number within its aggregate (0, 1, 2, …)
 * @param globalIndex its position in the whole store
 * @param time        when it was stored, RFC 3339 with nanoseconds (the store keeps milliseconds)
 * @param type        the public event name, e.g. {@code container.started}
 * @param actor       who caused it: transport, uid, gid, pid, user, remoteAddress, userAgent, requestId
 */
public record HistoryEntry(String id, long sequence, long globalIndex, String time, String type,
                           Map<String, Object> actor, JsonNode payload) {
    private static final DateTimeFormatter RFC3339_NANO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    public static HistoryEntry of(StoredEvent e) {
        return new HistoryEntry(e.eventId(), e.sequence(), e.globalIndex(), RFC3339_NANO.format(e.time()), e.type(),
                e.actor(), e.payloadJson());
    }
}
