package io.tally.http;

import io.tally.container.create.Bind;
import io.tally.container.create.HostConfig;
import io.tally.container.create.Mount;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Mounts} of ps and inspect: one entry per bind the container's start mounts (HostConfig.Binds, then Mounts of type bind),
 * in Docker's shape. The runtime mounts binds rprivate (Docker's default) unless a --mount asks for another propagation.
 */
final class BindMountViews {
    private BindMountViews() {
    }

    static List<Map<String, Object>> of(HostConfig hostConfig) {
        List<Map<String, Object>> views = new java.util.ArrayList<>();
        List<String> specs = hostConfig.binds() == null ? List.of() : hostConfig.binds();
        for (String spec : specs) {
            String[] parts = spec.split(":", -1);
            // Docker shows a bind's mode as given ("ro", "rw,z", or empty)
            views.add(entry(Bind.parse(spec), parts.length == 3 ? parts[2] : "", ""));
        }
        // a --mount has no mode string; Docker shows it empty
        for (Mount m : hostConfig.bindMounts()) {
            views.add(entry(new Bind(m.source(), m.target(), m.readOnly()), "", m.propagation()));
        }
        return views;
    }

    private static Map<String, Object> entry(Bind bind, String mode, String propagation) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", "bind");
        m.put("Source", bind.source());
        m.put("Destination", bind.target());
        m.put("Mode", mode);
        m.put("RW", !bind.readOnly());
        m.put("Propagation", propagation.isEmpty() ? "rprivate" : propagation);
        return m;
    }
}
