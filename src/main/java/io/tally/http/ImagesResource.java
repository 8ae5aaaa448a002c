package io.tally.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.http.transport.RequestActors;
import io.tally.image.ImageArchiveLoader;
import io.tally.image.ImageArchiveWriter;
import io.tally.image.ImageHistory;
import io.tally.image.ImageImporter;
import io.tally.image.ImageReference;
import io.tally.image.ImageRemover;
import io.tally.image.ImageResolver;
import io.tally.image.ImageTagger;
import io.tally.image.query.ImageView;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The Docker Engine API's image endpoints, translated to the image services. */
@Path("/images")
public class ImagesResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> LIST_FILTERS = Set.of("reference", "dangling", "label", "before", "since");
    private static final Set<String> PRUNE_FILTERS = Set.of("dangling", "label", "until");

    @Inject ImageImporter importer;
    @Inject ImageArchiveLoader loader;
    @Inject ImageArchiveWriter writer;
    @Inject ImageResolver resolver;
    @Inject ImageTagger tagger;
    @Inject ImageRemover remover;
    @Inject RequestActors actors;
    @Context HttpServerRequest request;

    @POST
    @Path("create")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(InputStream body, @QueryParam("fromSrc") String fromSrc, @QueryParam("fromImage") String fromImage,
                           @QueryParam("repo") String repo, @QueryParam("tag") String tag,
                           @QueryParam("changes") List<String> changes, @QueryParam("message") String message) {
        if (fromSrc == null) {
            throw new DockerApiException(501, "pulling images from a registry is not supported by this version of Tally"
                    + (fromImage == null ? "" : " (asked for " + fromImage + ")"));
        }
        if (!fromSrc.equals("-")) {
            throw DockerApiException.badRequest("import from a URL is not supported (fromSrc=" + fromSrc + "); send the tar in the body with fromSrc=-");
        }
        String target = repo == null || repo.isBlank() ? null : (tag == null || tag.isBlank() ? repo : repo + ":" + tag);
        String id = importer.importRootfs(body, target, changes, message, actors.of(request));
        return Response.ok(line(Map.of("status", id))).build();
    }

    @POST
    @Path("load")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response load(InputStream body, @QueryParam("quiet") String quiet) {
        StringBuilder out = new StringBuilder();
        for (ImageArchiveLoader.Loaded l : loader.load(body, actors.of(request))) {
            if (l.tags().isEmpty()) {
                out.append(line(Map.of("stream", "Loaded image ID: " + l.imageId() + "\n")));
            }
            for (ImageReference t : l.tags()) {
                out.append(line(Map.of("stream", "Loaded image: " + t.familiar() + "\n")));
            }
        }
        return Response.ok(out.toString()).build();
    }

    @GET
    @Path("get")
    @Produces("application/x-tar")
    public StreamingOutput saveMany(@QueryParam("names") List<String> names) {
        if (names == null || names.isEmpty()) {
            throw DockerApiException.badRequest("no images given (names=…)");
        }
        return save(names);
    }

    @GET
    @Path("{name: .+}/get")
    @Produces("application/x-tar")
    public StreamingOutput saveOne(@PathParam("name") String name) {
        return save(List.of(name));
    }

    private StreamingOutput save(List<String> names) {
        List<ImageArchiveWriter.Entry> entries = new ArrayList<>();
        for (String n : names) {
            ImageResolver.Resolved r = resolver.require(n);
            List<ImageReference> tags = r.byReference() ? List.of(r.reference())
                    : r.image().tags().stream().map(ImageReference::parse).toList();
            entries.add(new ImageArchiveWriter.Entry(r.image(), tags));
        }
        return out -> writer.write(entries, out);
    }

    @GET
    @Path("json")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list(@QueryParam("all") String all, @QueryParam("filters") String filters) {
        DockerFilters f = DockerFilters.parse(filters, LIST_FILTERS);
        Predicate<ImageView> matches = listFilter(f);
        return ImageView.<ImageView>listAll().stream()
                .filter(matches)
                .sorted(Comparator.comparing((ImageView i) -> i.createdAt).reversed())
                .map(this::summary)
                .toList();
    }

    private Predicate<ImageView> listFilter(DockerFilters f) {
        Predicate<ImageView> p = i -> true;
        Boolean dangling = f.bool("dangling");
        if (dangling != null) {
            p = p.and(i -> i.tags().isEmpty() == dangling);
        }
        if (f.has("reference")) {
            List<java.util.regex.Pattern> patterns = f.get("reference").stream().map(DockerFilters::glob).toList();
            p = p.and(i -> i.tags().stream().map(ImageReference::parse).anyMatch(ref ->
                    patterns.stream().anyMatch(pat -> pat.matcher(ref.familiarName()).matches() || pat.matcher(ref.familiar()).matches())));
        }
        if (f.has("label")) {
            p = p.and(i -> f.labelsMatch(ImageJsonViews.labels(i)));
        }
        for (String key : List.of("before", "since")) {
            for (String ref : f.get(key)) {
                Instant pivot = resolver.require(ref).image().createdAt;
                p = p.and(key.equals("before") ? i -> i.createdAt.isBefore(pivot) : i -> i.createdAt.isAfter(pivot));
            }
        }
        return p;
    }

    private Map<String, Object> summary(ImageView i) {
        List<String> tags = i.tags().stream().map(t -> ImageReference.parse(t).familiar()).toList();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Containers", -1);
        m.put("Created", i.createdAt.getEpochSecond());
        m.put("Id", i.id);
        Map<String, String> labels = ImageJsonViews.labels(i);
        m.put("Labels", labels.isEmpty() ? null : labels);
        m.put("ParentId", "");
        m.put("RepoDigests", tags.isEmpty() ? List.of("<none>@<none>") : List.of());
        m.put("RepoTags", tags.isEmpty() ? List.of("<none>:<none>") : tags);
        m.put("SharedSize", -1);
        m.put("Size", i.size);
        m.put("VirtualSize", i.size);
        return m;
    }

    @GET
    @Path("{name: .+}/json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> inspect(@PathParam("name") String name) {
        return ImageJsonViews.inspect(resolver.require(name).image());
    }

    @GET
    @Path("{name: .+}/history")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> history(@PathParam("name") String name) {
        ImageView image = resolver.require(name).image();
        List<String> tags = image.tags().stream().map(t -> ImageReference.parse(t).familiar()).toList();
        return ImageHistory.of(image, tags).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Comment", r.comment());
            m.put("Created", r.created() == null ? 0 : r.created().getEpochSecond());
            m.put("CreatedBy", r.createdBy());
            m.put("Id", r.id());
            m.put("Size", r.size());
            m.put("Tags", r.tags());
            return m;
        }).toList();
    }

    @POST
    @Path("{name: .+}/tag")
    public Response tag(@PathParam("name") String name, @QueryParam("repo") String repo, @QueryParam("tag") String tag) {
        ImageView image = resolver.require(name).image();
        tagger.tag(image.id, tagger.reference(repo, tag), actors.of(request));
        return Response.status(201).build();
    }

    @DELETE
    @Path("{name: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, String>> remove(@PathParam("name") String name, @QueryParam("force") @DefaultValue("0") String force,
                                            @QueryParam("noprune") String noprune) {
        return remover.remove(name, truthy(force), actors.of(request)).items();
    }

    @POST
    @Path("prune")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> prune(@QueryParam("filters") String filters) {
        DockerFilters f = DockerFilters.parse(filters, PRUNE_FILTERS);
        Boolean dangling = f.bool("dangling");
        boolean all = dangling != null && !dangling;
        Predicate<ImageView> p = i -> f.labelsMatch(ImageJsonViews.labels(i));
        for (String until : f.get("until")) {
            Instant limit = Timestamps.parse(until, "until");
            p = p.and(i -> i.createdAt.isBefore(limit));
        }
        ImageRemover.Removal r = remover.prune(all, p, actors.of(request));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ImagesDeleted", r.items().isEmpty() ? null : r.items());
        m.put("SpaceReclaimed", r.reclaimed());
        return m;
    }

    static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    private static String line(Object o) {
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
