package io.tally.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.ContainerService;
import io.tally.container.api.RecordFilesExtracted;
import io.tally.container.query.ContainerView;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.http.transport.RequestActors;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.cgroup.ContainerCgroups;
import io.tally.runtime.cgroup.ProcessTable;
import io.tally.runtime.cgroup.StatsSample;
import io.tally.runtime.rootfs.ContainerFilesystem;
import io.tally.runtime.rootfs.ContainerFilesystem.TarSource;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What is inside a container: top, stats, changes (diff), export, and the archive endpoints of `docker cp`. */
@Path("/containers")
public class ContainerFilesResource {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject ContainerService containers;
    @Inject ContainerRuntime runtime;
    @Inject ContainerFilesystem files;
    @Inject ContainerCgroups cgroups;
    @Inject Commands commands;
    @Inject RequestActors actors;

    @GET
    @Path("{id}/top")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> top(@PathParam("id") String id, @QueryParam("ps_args") String psArgs) throws IOException {
        ContainerView c = running(id);
        ProcessTable t = cgroups.processes(c.id, psArgs);
        return Map.of("Titles", t.titles(), "Processes", t.processes());
    }

    @POST
    @Path("{id}/resize")
    public Response resize(@PathParam("id") String id, @QueryParam("h") int rows, @QueryParam("w") int cols) {
        ContainerView c = running(id);
        try {
            runtime.resize(c.id, rows, cols);
        } catch (DomainException f) {
            // a non-TTY container has no terminal to size; Docker answers 200 for it too
            if (f.kind() == DomainException.Kind.NOT_RUNNING) {
                throw DockerApiException.conflict(f.getMessage());
            }
        }
        return Response.ok().build();
    }

    @GET
    @Path("{id}/stats")
    public Response stats(@PathParam("id") String id, @QueryParam("stream") String stream, @QueryParam("one-shot") String oneShot) {
        ContainerView c = containers.require(id);
        boolean streaming = stream == null || ImagesResource.truthy(stream);
        StreamingOutput body = out -> {
            StatsSample previous = null;
            try {
                if (!streaming) {
                    previous = cgroups.sample(c.id);
                    Thread.sleep(500);
                }
                do {
                    StatsSample now = cgroups.sample(c.id);
                    out.write((JSON.writeValueAsString(DockerStats.of(now, previous, c.name, c.id)) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    previous = now;
                    if (streaming) {
                        Thread.sleep(1000);
                    }
                } while (streaming && !cgroups.pids(c.id).isEmpty());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("{id}/changes")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> changes(@PathParam("id") String id) throws IOException {
        ContainerView c = containers.require(id);
        return files.changes(c.id).stream()
                .map(ch -> Map.<String, Object>of("Path", ch.path(), "Kind", ch.kind().ordinal()))
                .toList();
    }

    @GET
    @Path("{id}/export")
    @Produces("application/octet-stream")
    public StreamingOutput export(@PathParam("id") String id) {
        ContainerView c = containers.require(id);
        TarSource tar = mounted(() -> files.export(c.id));
        return tar::writeTo;
    }

    @HEAD
    @Path("{id}/archive")
    public Response statPath(@PathParam("id") String id, @QueryParam("path") String path) {
        ContainerView c = containers.require(id);
        return Response.ok().header("X-Docker-Container-Path-Stat", statHeader(c, path)).build();
    }

    @GET
    @Path("{id}/archive")
    @Produces("application/x-tar")
    public Response getArchive(@PathParam("id") String id, @QueryParam("path") String path) {
        ContainerView c = containers.require(id);
        String header = statHeader(c, path);
        TarSource tar = mounted(() -> files.archive(c.id, path));
        StreamingOutput body = tar::writeTo;
        return Response.ok(body, "application/x-tar").header("X-Docker-Container-Path-Stat", header).build();
    }

    /** Unpacks the tar, then records it (Docker's extract-to-dir event). */
    @PUT
    @Path("{id}/archive")
    @Consumes(MediaType.WILDCARD)
    public Response putArchive(@PathParam("id") String id, @QueryParam("path") String path, InputStream tar,
                               @Context HttpServerRequest request) {
        ContainerView c = containers.require(id);
        requirePath(path);
        try {
            mountedIo(() -> {
                files.extract(c.id, path, tar);
                return null;
            });
        } catch (NoSuchFileException e) {
            throw DockerApiException.notFound("Could not find the file " + path + " in container " + c.name);
        } catch (IOException e) {
            throw DockerApiException.badRequest("cannot extract the archive into " + path + ": " + e.getMessage());
        }
        commands.send(new RecordFilesExtracted(c.id, path), actors.of(request));
        return Response.ok().build();
    }

    private String statHeader(ContainerView c, String path) {
        requirePath(path);
        try {
            ContainerFilesystem.PathStat s = mountedIo(() -> files.stat(c.id, path));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("size", s.size());
            m.put("mode", s.mode());
            m.put("mtime", s.mtime().toString());
            m.put("linkTarget", s.linkTarget());
            return Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(m));
        } catch (NoSuchFileException e) {
            throw DockerApiException.notFound("Could not find the file " + path + " in container " + c.name);
        } catch (IOException e) {
            throw new DockerApiException(500, "cannot read " + path + " in container " + c.name + ": " + e.getMessage());
        }
    }

    private interface HostCall<T> {
        T call() throws IOException;
    }

    /** A root file system the host cannot mount again is the server's failure, whatever the runtime's reason. */
    private static <T> T mountedIo(HostCall<T> call) throws IOException {
        try {
            return call.call();
        } catch (DomainException f) {
            throw new DockerApiException(500, f.getMessage());
        }
    }

    private static <T> T mounted(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (DomainException f) {
            throw new DockerApiException(500, f.getMessage());
        }
    }

    private ContainerView running(String id) {
        ContainerView c = containers.require(id);
        if (!c.running()) {
            throw DockerApiException.conflict("Container " + c.id + " is not running");
        }
        return c;
    }

    private static void requirePath(String path) {
        if (path == null || path.isBlank()) {
            throw DockerApiException.badRequest("path must not be empty");
        }
    }
}
