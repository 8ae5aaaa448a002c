package io.tally.container.health;

import io.tally.image.ImageHealthcheck;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's create-time merge of the container's Healthcheck with the image's HEALTHCHECK: no check
 * of its own takes the image's; one of its own takes each missing (empty or zero) field from the
 * image's, so `--health-interval 1s` alone keeps the image's test.
 */
public final class HealthCheckDefaults {
    private HealthCheckDefaults() {
    }

    /**
     * @param requested the Healthcheck object the client sent (a JSON null counts as none)
     * @param image     the image's, or null
     * @return the container's Healthcheck, or null when neither has one
     */
    public static Map<String, Object> merge(Object requested, ImageHealthcheck image) {
        if (!(requested instanceof Map<?, ?> own)) {
            return image == null ? null : fromImage(image);
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        own.forEach((k, v) -> merged.put(String.valueOf(k), v));
        if (image == null) {
            return merged;
        }
        if (!(merged.get("Test") instanceof List<?> test) || test.isEmpty()) {
            putIfSet(merged, "Test", image.test());
        }
        inheritIfZero(merged, "Interval", image.interval());
        inheritIfZero(merged, "Timeout", image.timeout());
        inheritIfZero(merged, "StartPeriod", image.startPeriod());
        inheritIfZero(merged, "Retries", image.retries());
        return merged;
    }

    private static Map<String, Object> fromImage(ImageHealthcheck image) {
        Map<String, Object> m = new LinkedHashMap<>();
        putIfSet(m, "Test", image.test());
        putIfSet(m, "Interval", image.interval());
        putIfSet(m, "Timeout", image.timeout());
        putIfSet(m, "StartPeriod", image.startPeriod());
        putIfSet(m, "Retries", image.retries());
        return m;
    }

    private static void inheritIfZero(Map<String, Object> m, String key, Number imageValue) {
        if (!(m.get(key) instanceof Number n) || n.longValue() == 0) {
            putIfSet(m, key, imageValue);
        }
    }

    private static void putIfSet(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
