package io.tally.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Raw HTTP calls to tallyd's unix socket (curl), for the endpoints the docker CLI does not reach. */
public final class TallyApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path socket;

    public TallyApi(Path socket) {
        this.socket = socket;
    }

    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public Response assertStatus(int expected) {
            if (status != expected) {
                throw new AssertionError("expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    public Response get(String path) throws IOException, InterruptedException {
        return call("GET", path);
    }

    public Response post(String path) throws IOException, InterruptedException {
        return call("POST", path);
    }

    private Response call(String method, String path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("curl", "-sS", "--max-time", "600", "--unix-socket", socket.toString(),
                "-X", method, "-w", "\n%{http_code}", "http://tally" + path)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(610, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("curl " + method + " " + path + " failed: " + out);
        }
        int cut = out.lastIndexOf('\n');
        return new Response(Integer.parseInt(out.substring(cut + 1).trim()), out.substring(0, cut));
    }
}
