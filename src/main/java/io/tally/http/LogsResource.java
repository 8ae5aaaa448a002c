package io.tally.http;

import io.tally.container.ContainerJson;
import io.tally.container.ContainerService;
import io.tally.container.query.ContainerView;
import io.tally.container.state.ContainerStatus;
import io.tally.container.create.LogDriver;
import io.tally.runtime.logfile.ContainerLogs;
import io.tally.runtime.logfile.LogLine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** {@code GET /containers/{id}/logs}: the shim's log file, filtered and framed as Docker does. */
@Path("/containers")
public class LogsResource {
    private static final DateTimeFormatter NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Inject ContainerService containers;
    @Inject ContainerLogs logs;

    @GET
    @Path("{id}/logs")
    public Response logs(@PathParam("id") String id, @QueryParam("stdout") String stdout, @QueryParam("stderr") String stderr,
                         @QueryParam("timestamps") String timestamps, @QueryParam("tail") String tail,
                         @QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("follow") String follow) {
        boolean out = ImagesResource.truthy(stdout);
        boolean err = ImagesResource.truthy(stderr);
        if (!out && !err) {
            throw DockerApiException.badRequest("Bad parameters: you must choose at least one stream");
        }
        ContainerView c = containers.require(id);
        if (!LogDriver.of(ContainerJson.map(c.hostConfig)).keepsLogs()) {
            // Docker's answer for a driver that keeps nothing to read (`none`)
            throw new DockerApiException(501, "configured logging driver does not support reading");
        }
        boolean tty = Boolean.TRUE.equals(ContainerJson.map(c.config).get("Tty"));
        int tailLines = tail == null || tail.isBlank() || tail.equals("all") ? -1 : parseTail(tail);
        Instant from = since == null || since.isBlank() || since.equals("0") ? null : Timestamps.parse(since, "since");
        Instant to = until == null || until.isBlank() || until.equals("0") ? null : Timestamps.parse(until, "until");
        boolean ts = ImagesResource.truthy(timestamps);
        String containerId = c.id;
        StreamingOutput body = os -> {
            Writer w = new Writer(os, tty, ts, out, err, from, to);
            Deque<LogLine> last = new ArrayDeque<>();
            logs.readAll(containerId, line -> {
                if (tailLines < 0) {
                    w.accept(line);
                } else if (tailLines > 0 && w.selected(line)) {
                    last.addLast(line);
                    if (last.size() > tailLines) {
                        last.removeFirst();
                    }
                }
            });
            last.forEach(w);
            os.flush();
            if (ImagesResource.truthy(follow) && to == null) {
                follow(containerId, w, os);
            }
        };
        return Response.ok(body).type(tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream").build();
    }

    /** Streams what the shim appends until the container stops running or the client leaves. */
    private void follow(String containerId, Writer w, OutputStream os) throws IOException {
        long offset = logs.end(containerId);
        while (true) {
            long next = logs.readFrom(containerId, offset, w);
            if (next != offset) {
                os.flush();
                offset = next;
                continue;
            }
            if (!runningNow(containerId)) {
                logs.readFrom(containerId, offset, w);
                os.flush();
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean runningNow(String containerId) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                ContainerView.<ContainerView>findByIdOptional(containerId).map(v -> v.running() || v.state == ContainerStatus.RESTARTING).orElse(false));
    }

    private static int parseTail(String tail) {
        try {
            return Math.max(0, Integer.parseInt(tail.trim()));
        } catch (NumberFormatException e) {
            throw DockerApiException.badRequest("invalid value for tail: \"" + tail + "\"; use a number or all");
        }
    }

    /** Frames lines: an 8-byte header per line unless the container has a TTY; optional RFC 3339 nano timestamps. */
    private static final class Writer implements Consumer<LogLine> {
        private final OutputStream os;
        private final boolean tty;
        private final boolean timestamps;
        private final boolean stdout;
        private final boolean stderr;
        private final Instant since;
        private final Instant until;

        Writer(OutputStream os, boolean tty, boolean timestamps, boolean stdout, boolean stderr, Instant since, Instant until) {
            this.os = os;
            this.tty = tty;
            this.timestamps = timestamps;
            this.stdout = stdout;
            this.stderr = stderr;
            this.since = since;
            this.until = until;
        }

        boolean selected(LogLine line) {
            boolean isErr = "stderr".equals(line.stream());
            if (isErr ? !stderr : !stdout) {
                return false;
            }
            return (since == null || !line.time().isBefore(since)) && (until == null || !line.time().isAfter(until));
        }

        @Override
        public void accept(LogLine line) {
            if (!selected(line)) {
                return;
            }
            byte[] prefix = timestamps ? (NANOS.format(line.time()) + " ").getBytes(StandardCharsets.US_ASCII) : new byte[0];
            int length = prefix.length + line.content().length;
            try {
                if (!tty) {
                    os.write(ByteBuffer.allocate(8).put((byte) ("stderr".equals(line.stream()) ? 2 : 1)).put((byte) 0).put((byte) 0)
                            .put((byte) 0).putInt(length).array());
                }
                os.write(prefix);
                os.write(line.content());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
