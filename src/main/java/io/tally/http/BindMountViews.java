package io.tally.http;

import io.tally.container.create.Bind;
import io.tally.container.create.HostConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Mounts} of ps and inspect: one entry per bind the container's start mounts (HostConfig.Binds),
 * in Docker's shape. The runtime mounts binds rprivate (Docker's default), which Propagation reports.
 */
final class BindMountViews {
    private BindMountViews() {
    }

    static List<Map<String, Object>> of(HostConfig hostConfig) {
        List<String> specs = hostConfig.binds() == null ? List.of() : hostConfig.binds();
        return specs.stream().map(BindMountViews::entry).toList();
    }

    private static Map<String, Object> entry(String spec) {
        Bind bind = Bind.parse(spec);
        String[] parts = spec.split(":", -1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", "bind");
        m.put("Source", bind.source());
        m.put("Destination", bind.target());
        // Docker shows the mode as given ("ro", "rw,z", or empty)
        m.put("Mode", parts.length == 3 ? parts[2] : "");
        m.put("RW", !bind.readOnly());
        m.put("Propagation", "rprivate");
        return m;
    }
}
