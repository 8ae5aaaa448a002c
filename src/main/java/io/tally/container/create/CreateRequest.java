package io.tally.container.create;

import io.tally.events.DomainException;

import java.util.Map;

/**
 * A `POST /containers/create` body, read once into Docker's three parts and checked as Docker
 * checks it at create. The body itself stays what the client sent: events keep it as it came.
 */
public record CreateRequest(Config config, HostConfig hostConfig, NetworkingConfig networkingConfig) {

    /**
     * @throws DomainException INVALID with Docker's message for a body Docker would refuse at create
     */
    public static CreateRequest parse(Map<String, Object> body, CreateChecks.Host host) {
        if (body == null || body.isEmpty()) {
            throw DomainException.invalid("Config cannot be empty in order to create a container");
        }
        JsonFields fields = JsonFields.of("Config", body);
        CreateRequest request = new CreateRequest(Config.read(fields), HostConfig.read(fields.object("HostConfig")),
                NetworkingConfig.read(fields.object("NetworkingConfig")));
        CreateChecks.check(request, host);
        return request;
    }
}
