package io.tally.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Docker API 1.41 endpoints Tally has no handler for, with the status and message it answers instead of
 * "page not found" (docs/api.md, "Endpoints"). Consulted only for requests no resource matched, so an
 * endpoint that gains a handler stops being refused by itself.
 */
final class UnsupportedEndpoints {
    /** Docker's answer on a node that is not a swarm manager. */
    static final String NOT_A_SWARM_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or "
            + "\"docker swarm join\" to connect this node to swarm and try again.";

    record Refusal(int status, String message) {
    }

    private record Rule(Pattern path, Refusal refusal) {
    }

    private static final List<Rule> RULES = List.of(
            rule("/swarm/(init|join)", 501, "swarm mode is not supported by Tally"),
            rule("/(swarm|services|nodes|tasks|secrets|configs)(/.*)?", 503, NOT_A_SWARM_MANAGER),
            rule("/networks(/.*)?", 501, "networks are not supported yet: container networking (networks, published ports) "
                    + "is a separate open issue of Tally; containers have loopback only"),
            rule("/volumes(/.*)?", 501, "volumes are not supported yet (a separate open issue of Tally); "
                    + "bind a host directory instead: -v /host/path:/path"),
            rule("/(build|session|grpc)(/.*)?", 501, "image builds are not supported yet (a separate open issue of Tally); "
                    + "use docker import or docker load"),
            rule("/(auth|images/search|images/.+/push)", 501, "registries are not supported yet (a separate open issue of Tally): "
                    + "use docker save and docker load to move images"),
            rule("/plugins(/.*)?", 501, "plugins are not supported by Tally"),
            rule("/commit", 501, "docker commit is not supported yet: use docker export and docker import"),
            rule("/containers/[^/]+/attach/ws", 501, "websocket attach is not supported yet: use POST /containers/{id}/attach"),
            rule("/containers/[^/]+/checkpoints(/.*)?", 501, "checkpoints are not supported by Tally"));

    private UnsupportedEndpoints() {
    }

    /** @param path the request path without the /v1.N prefix */
    static Optional<Refusal> of(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return RULES.stream().filter(r -> r.path().matcher(p).matches()).map(Rule::refusal).findFirst();
    }

    private static Rule rule(String regex, int status, String message) {
        return new Rule(Pattern.compile(regex), new Refusal(status, message));
    }
}
