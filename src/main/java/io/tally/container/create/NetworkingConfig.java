package io.tally.container.create;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks a create request attaches the container to, by network name. Tally keeps them as
 * data: containers get a loopback-only namespace until networking lands.
 */
public record NetworkingConfig(Map<String, EndpointSettings> endpointsConfig) {

    /** @param ipv4Address and ipv6Address: the requested static addresses (IPAMConfig) */
    public record EndpointSettings(List<String> aliases, List<String> links, String networkId, String macAddress,
                                   String ipv4Address, String ipv6Address, Map<String, String> driverOpts) {
    }

    public static NetworkingConfig parse(Map<String, Object> networkingConfig) {
        return read(JsonFields.of("NetworkingConfig", networkingConfig));
    }

    static NetworkingConfig read(JsonFields n) {
        Map<String, EndpointSettings> endpoints = new LinkedHashMap<>();
        Map<String, JsonFields> raw = n.objects("EndpointsConfig");
        if (raw != null) {
            raw.forEach((network, e) -> {
                JsonFields ipam = e.object("IPAMConfig");
                endpoints.put(network, new EndpointSettings(e.strings("Aliases"), e.strings("Links"), e.text("NetworkID", ""),
                        e.text("MacAddress", ""), ipam.text("IPv4Address", ""), ipam.text("IPv6Address", ""),
                        e.textMap("DriverOpts")));
            });
        }
        return new NetworkingConfig(Map.copyOf(endpoints));
    }
}
