package io.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** tallyd's API as the CLI uses it: JSON in, Docker's {@code {"message": …}} errors turned into exceptions. */
final class TallyApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A refusal or failure tallyd explained; its message is the user's one line. */
    static final class ApiError extends Exception {
        ApiError(String message) {
            super(message);
        }
    }

    private final String host;
    private final UnixHttpClient http;

    TallyApiClient(String host) throws ApiError {
        if (!host.startsWith("unix://") || host.length() <= "unix://".length()) {
            throw new ApiError("-H " + host + ": tally speaks to tallyd on a unix socket, like unix:///run/tally/tally.sock");
        }
        this.host = host;
        this.http = new UnixHttpClient(Path.of(host.substring("unix://".length())));
    }

    JsonNode get(String path) throws ApiError {
        return call("GET", path);
    }

    JsonNode post(String path) throws ApiError {
        return call("POST", path);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode call(String method, String path) throws ApiError {
        UnixHttpClient.Response r;
        try {
            r = http.send(method, path);
        } catch (IOException e) {
            throw new ApiError("cannot reach tallyd at " + host + ": " + e.getMessage());
        }
        JsonNode body;
        try {
            body = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new ApiError("tallyd answered " + r.status() + " with something that is not JSON: " + r.body().strip());
        }
        if (r.status() >= 400) {
            throw new ApiError(body.path("message").asText("tallyd answered " + r.status()));
        }
        return body;
    }
}
