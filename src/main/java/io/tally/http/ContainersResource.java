package io.tally.http;

import io.tally.container.Container;
import io.tally.container.ContainerService;
import io.tally.container.create.CreateChecks;
import io.tally.container.create.CreateRequest;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;
import io.tally.events.DomainException;
import io.tally.http.transport.RequestActors;
import io.tally.runtime.ContainerRuntime;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The Docker Engine API's container lifecycle endpoints, translated to the container service. */
@Path("/containers")
public class ContainersResource {
    private static final Set<String> LIST_FILTERS = java.util.stream.Stream.concat(
            Stream.of("name", "id", "status", "label", "ancestor", "exited", "before", "since", "health"), ContainerListFilters.KEYS.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "until");

    @Inject ContainerService containers;
    @Inject io.tally.container.ExecService execs;
    @Inject ContainerRuntime runtime;
    @Inject RequestActors actors;
    @Inject io.tally.http.transport.PendingAttaches pendingAttaches;
    @Inject ContainerInspections inspections;
    @Inject io.tally.container.health.ContainerHealth health;
    @Context HttpServerRequest request;

    @POST
    @Path("create")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(@QueryParam("name") String name, @Context HttpHeaders headers, Map<String, Object> body) {
        MediaType type = headers.getMediaType();
        if (type != null && !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            throw DockerApiException.badRequest("Content-Type specified (" + type + ") must be 'application/json'");
        }
        CreateRequest parsed = CreateRequest.parse(body, CreateChecks.Host.local());
        String id = containers.create(name, parsed, body, actors.of(request));
        return Response.status(201).entity(Map.of("Id", id, "Warnings", List.of())).build();
    }

    @POST
    @Path("{id}/exec")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response exec(@PathParam("id") String id, Map<String, Object> body) {
        String execId = execs.create(id, body == null ? Map.of() : body, actors.of(request));
        return Response.status(201).entity(Map.of("Id", execId)).build();
    }

    @POST
    @Path("{id}/start")
    public Response start(@PathParam("id") String id) {
        Container.StartOutcome outcome = containers.start(id, actors.of(request));
        if (!outcome.started()) {
            pendingAttaches.abort(containers.require(id).id);
            containers.removeIfAutoRemove(id, actors.of(request));
            // The docker CLI maps the message to 126/127; the status must be a 4xx/5xx with the runtime's words.
            throw DockerApiException.badRequest(outcome.error());
        }
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/stop")
    public Response stop(@PathParam("id") String id, @QueryParam("t") Integer t) {
        containers.stop(id, t, actors.of(request));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/restart")
    public Response restart(@PathParam("id") String id, @QueryParam("t") Integer t) {
        containers.restart(id, t, actors.of(request));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/kill")
    public Response kill(@PathParam("id") String id, @QueryParam("signal") String signal) {
        containers.kill(id, signal, actors.of(request));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id) {
        containers.pause(id, actors.of(request));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/unpause")
    public Response unpause(@PathParam("id") String id) {
        containers.unpause(id, actors.of(request));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/rename")
    public Response rename(@PathParam("id") String id, @QueryParam("name") String name) {
        containers.rename(id, name, actors.of(request));
        return Response.noContent().build();
    }

    @DELETE
    @Path("{id}")
    public Response remove(@PathParam("id") String id, @QueryParam("force") String force, @QueryParam("v") String volumes) {
        containers.remove(id, ImagesResource.truthy(force), actors.of(request));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> inspect(@PathParam("id") String id, @QueryParam("at") String at) {
        return inspections.inspect(id, AsOfParameter.parse(at));
    }

    @GET
    @Path("json")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list(@QueryParam("all") String all, @QueryParam("limit") Integer limit,
                                          @QueryParam("size") String size, @QueryParam("filters") String filters) {
        DockerFilters f = DockerFilters.parse(filters, LIST_FILTERS);
        boolean everything = ImagesResource.truthy(all) || (limit != null && limit > 0) || f.has("status") || f.has("exited");
        Map<String, io.tally.container.api.HealthStatus> healths = health.statuses();
        Stream<ContainerView> rows = ContainerView.<ContainerView>listAll().stream()
                .filter(c -> everything || c.running() || c.state == ContainerStatus.RESTARTING)
                .filter(listFilter(f))
                .filter(healthFilter(f, healths))
                .sorted(Comparator.comparing((ContainerView c) -> c.createdAt).reversed());
        if (limit != null && limit > 0) {
            rows = rows.limit(limit);
        }
        Instant now = Instant.now();
        return rows.map(c -> ContainerJsonViews.summary(c, now, healths.get(c.id))).toList();
    }

    /** Docker's {@code health} filter: starting, healthy, unhealthy, or none for containers without a health status. */
    private static Predicate<ContainerView> healthFilter(DockerFilters f, Map<String, io.tally.container.api.HealthStatus> healths) {
        if (!f.has("health")) {
            return c -> true;
        }
        for (String value : f.get("health")) {
            if (!value.equals("none") && io.tally.container.api.HealthStatus.named(value).isEmpty()) {
                throw DockerApiException.badRequest("Unrecognised filter value for health: " + value);
            }
        }
        return c -> f.get("health").contains(healths.containsKey(c.id) ? healths.get(c.id).word() : "none");
    }

    private Predicate<ContainerView> listFilter(DockerFilters f) {
        Predicate<ContainerView> p = ContainerListFilters.of(f);
        if (f.has("name")) {
            p = p.and(c -> f.get("name").stream().anyMatch(n -> java.util.regex.Pattern.compile(n.startsWith("/") ? n.substring(1) : n)
                    .matcher(c.name).find()));
        }
        if (f.has("id")) {
            p = p.and(c -> f.get("id").stream().anyMatch(c.id::startsWith));
        }
        if (f.has("status")) {
            for (String s : f.get("status")) {
                if (ContainerStatus.named(s).isEmpty()) {
                    throw DockerApiException.badRequest("invalid filter 'status=" + s + "'");
                }
            }
            p = p.and(c -> f.get("status").contains(c.state.word()));
        }
        if (f.has("exited")) {
            p = p.and(c -> c.state == ContainerStatus.EXITED && f.get("exited").contains(Integer.toString(c.exitCode)));
        }
        if (f.has("label")) {
            p = p.and(c -> {
                Map<String, String> labels = new LinkedHashMap<>();
                if (io.tally.container.ContainerJson.map(c.config).get("Labels") instanceof Map<?, ?> l) {
                    l.forEach((k, v) -> labels.put(k.toString(), String.valueOf(v)));
                }
                return f.labelsMatch(labels);
            });
        }
        if (f.has("ancestor")) {
            p = p.and(c -> f.get("ancestor").stream().anyMatch(a -> a.equals(c.image) || c.imageId.equals(a)
                    || c.imageId.startsWith("sha256:" + a) || a.equals(c.image + ":latest")));
        }
        for (String key : List.of("before", "since")) {
            for (String ref : f.get(key)) {
                ContainerView pivot = containers.require(ref);
                p = p.and(key.equals("before") ? c -> c.createdAt.isBefore(pivot.createdAt) : c -> c.createdAt.isAfter(pivot.createdAt));
            }
        }
        return p;
    }

    @POST
    @Path("prune")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> prune(@QueryParam("filters") String filters) {
        DockerFilters f = DockerFilters.parse(filters, PRUNE_FILTERS);
        List<String> deleted = new java.util.ArrayList<>();
        for (ContainerView c : ContainerView.<ContainerView>list("state in ?1", List.of(ContainerStatus.CREATED, ContainerStatus.EXITED))) {
            Map<String, String> labels = new LinkedHashMap<>();
            if (io.tally.container.ContainerJson.map(c.config).get("Labels") instanceof Map<?, ?> l) {
                l.forEach((k, v) -> labels.put(k.toString(), String.valueOf(v)));
            }
            boolean old = f.get("until").stream().allMatch(u -> c.createdAt.isBefore(Timestamps.parse(u, "until")));
            if (f.labelsMatch(labels) && old) {
                try {
                    containers.remove(c.id, false, actors.of(request));
                    deleted.add(c.id);
                } catch (DomainException e) {
                    // started meanwhile: not prunable any more
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ContainersDeleted", deleted.isEmpty() ? null : deleted);
        m.put("SpaceReclaimed", 0);
        return m;
    }
}
