package io.tally.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.container.ContainerService;
import io.tally.container.query.ContainerView;
import io.tally.runtime.cgroup.CgroupStats;
import io.tally.runtime.host.ContainerProcesses;
import io.tally.runtime.ContainerRuntime;
import io.tally.runtime.rootfs.RootfsArchive;
import io.tally.runtime.rootfs.RootfsChanges;
import io.tally.events.DomainException;
import io.tally.store.LayerTarWriter;
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

    @GET
    @Path("{id}/top")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> top(@PathParam("id") String id, @QueryParam("ps_args") String psArgs) throws IOException {
        ContainerView c = running(id);
        ContainerProcesses.Table t = ContainerProcesses.of(runtime.pids(c.id), psArgs);
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
            CgroupStats.Sample previous = null;
            try {
                if (!streaming) {
                    previous = CgroupStats.sample(runtime, c.id);
                    Thread.sleep(500);
                }
                do {
                    CgroupStats.Sample now = CgroupStats.sample(runtime, c.id);
                    out.write((JSON.writeValueAsString(CgroupStats.toDocker(now, previous, c.name, c.id)) + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    previous = now;
                    if (streaming) {
                        Thread.sleep(1000);
                    }
                } while (streaming && !runtime.pids(c.id).isEmpty());
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
        return RootfsChanges.of(runtime.upperDir(c.id), runtime.lowerDirs(c.id)).stream()
                .map(ch -> Map.<String, Object>of("Path", ch.path(), "Kind", ch.kind().ordinal()))
                .toList();
    }

    @GET
    @Path("{id}/export")
    @Produces("application/octet-stream")
    public StreamingOutput export(@PathParam("id") String id) {
        java.nio.file.Path rootfs = rootfs(containers.require(id));
        return out -> LayerTarWriter.writeDirectoryAsTar(rootfs, out);
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
        java.nio.file.Path rootfs = rootfs(c);
        StreamingOutput body = out -> RootfsArchive.write(rootfs, path, out);
        return Response.ok(body, "application/x-tar").header("X-Docker-Container-Path-Stat", header).build();
    }

    @PUT
    @Path("{id}/archive")
    @Consumes(MediaType.WILDCARD)
    public Response putArchive(@PathParam("id") String id, @QueryParam("path") String path, InputStream tar) {
        ContainerView c = containers.require(id);
        requirePath(path);
        try {
            RootfsArchive.extract(rootfs(c), path, tar);
        } catch (NoSuchFileException e) {
            throw DockerApiException.notFound("Could not find the file " + path + " in container " + c.name);
        } catch (IOException e) {
            throw DockerApiException.badRequest("cannot extract the archive into " + path + ": " + e.getMessage());
        }
        return Response.ok().build();
    }

    private String statHeader(ContainerView c, String path) {
        requirePath(path);
        try {
            RootfsArchive.PathStat s = RootfsArchive.stat(rootfs(c), path);
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

    private java.nio.file.Path rootfs(ContainerView c) {
        try {
            return runtime.rootfs(c.id);
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
