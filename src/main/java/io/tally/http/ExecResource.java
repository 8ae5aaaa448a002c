package io.tally.http;

import io.tally.container.ExecService;
import io.tally.container.api.ExecConfig;
import io.tally.container.query.ExecView;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exec instances: inspect and resize. The start, detached or attached (a hijacked connection), is
 * served by {@link io.tally.http.transport.ExecStartRoute}.
 */
@Path("/exec")
public class ExecResource {
    @Inject ExecService execs;

    @GET
    @Path("{id}/json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> inspect(@PathParam("id") String id) {
        ExecView exec = execs.require(id);
        ExecConfig c = execs.config(exec);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("tty", c.tty());
        process.put("entrypoint", c.cmd().isEmpty() ? "" : c.cmd().getFirst());
        process.put("arguments", c.cmd().isEmpty() ? List.of() : c.cmd().subList(1, c.cmd().size()));
        process.put("privileged", c.privileged());
        if (!c.user().isEmpty()) {
            process.put("user", c.user());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", exec.id);
        m.put("Running", exec.running);
        m.put("ExitCode", exec.exitCode);
        m.put("ProcessConfig", process);
        m.put("OpenStdin", c.attachStdin());
        m.put("OpenStderr", c.attachStderr());
        m.put("OpenStdout", c.attachStdout());
        m.put("CanRemove", false);
        m.put("ContainerID", exec.containerId);
        m.put("DetachKeys", c.detachKeys());
        m.put("Pid", exec.pid);
        return m;
    }

    @POST
    @Path("{id}/resize")
    public Response resize(@PathParam("id") String id, @QueryParam("h") int rows, @QueryParam("w") int cols) {
        execs.resize(id, rows, cols);
        return Response.ok().build();
    }
}
