package io.tally.http;

import io.tally.daemon.TallyVersion;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker clients prefix paths with the negotiated API version ({@code /v1.41/containers/json}).
 * Any version from the minimum up to the advertised one is served by the same routes; the
 * unprefixed form means the newest.
 */
public class ApiVersionFilter {
    public static final String REQUESTED_VERSION = "tally.api-version";
    private static final Pattern PREFIX = Pattern.compile("^/v(\\d+)\\.(\\d+)(/.*)?$");
    private static final ApiVersion MAX = ApiVersion.parse(TallyVersion.API_VERSION);
    private static final ApiVersion MIN = ApiVersion.parse(TallyVersion.MIN_API_VERSION);

    @ServerRequestFilter(preMatching = true)
    public Response stripVersion(ContainerRequestContext request) {
        String path = request.getUriInfo().getRequestUri().getRawPath();
        Matcher m = PREFIX.matcher(path);
        if (!m.matches()) {
            request.setProperty(REQUESTED_VERSION, MAX);
            return null;
        }
        ApiVersion requested = new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        if (requested.compareTo(MAX) > 0) {
            return ErrorResponses.json(400, "client version " + requested + " is too new. Maximum supported API version is " + MAX);
        }
        if (requested.compareTo(MIN) < 0) {
            return ErrorResponses.json(400, "client version " + requested + " is too old. Minimum supported API version is "
                    + MIN + ", please upgrade your client to a newer version");
        }
        request.setProperty(REQUESTED_VERSION, requested);
        String rest = m.group(3) == null ? "/" : m.group(3);
        request.setRequestUri(UriBuilder.fromUri(request.getUriInfo().getRequestUri()).replacePath(rest).build());
        return null;
    }

    @ServerResponseFilter
    public void dockerHeaders(ContainerResponseContext response) {
        var headers = response.getHeaders();
        headers.putSingle("Api-Version", TallyVersion.API_VERSION);
        headers.putSingle("Docker-Experimental", "false");
        headers.putSingle("Ostype", "linux");
        headers.putSingle("Server", "Tally/" + TallyVersion.version() + " (linux)");
    }

    public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
        static ApiVersion parse(String s) {
            String[] p = s.split("\\.");
            return new ApiVersion(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }

        @Override
        public int compareTo(ApiVersion o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }
}
