package io.tally.image;

import io.tally.events.Actor;
import io.tally.events.Commands;
import io.tally.events.DomainException;
import io.tally.image.api.LayerRef;
import io.tally.image.api.RecordImageLoad;
import io.tally.store.ContentStore;
import io.tally.store.Digest;
import io.tally.store.InvalidLayerException;
import io.tally.store.Layer;
import io.tally.store.LayerStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * `docker load`: a docker-archive (manifest.json, as `docker save` writes) or an OCI image layout
 * (index.json + blobs). Entries arrive in any order, so every file is first stored by digest,
 * then the images are assembled from the stored blobs; what no image uses is collected afterwards.
 */
@ApplicationScoped
public class ImageArchiveLoader {
    private static final int MAX_METADATA_BYTES = 16 << 20;

    @Inject ContentStore content;
    @Inject LayerStore layers;
    @Inject Commands commands;
    @Inject ImageTagger tagger;
    @Inject ImageGarbageCollector gc;

    /** One loaded image: its id and the references now pointing at it. */
    public record Loaded(String imageId, List<ImageReference> tags) {
    }

    public List<Loaded> load(InputStream archive, Actor actor) {
        List<Loaded> loaded = new ArrayList<>();
        try {
            gc.whileWriting(() -> {
                Archive a = spool(archive);
                if (a.metadata.containsKey(DockerArchiveManifest.FILE_NAME)) {
                    for (DockerArchiveManifest m : DockerArchiveManifest.parseAll(a.metadata.get(DockerArchiveManifest.FILE_NAME))) {
                        loaded.add(loadDockerArchiveImage(a, m, actor));
                    }
                } else if (a.metadata.containsKey("index.json")) {
                    ImageIndex index = ImageJson.MAPPER.readValue(a.metadata.get("index.json"), ImageIndex.class);
                    for (Descriptor d : index.manifests()) {
                        loaded.addAll(loadOciManifest(a, d, actor));
                    }
                } else {
                    throw DomainException.invalid("not an image archive: it has neither manifest.json (docker-archive) nor index.json (OCI layout)");
                }
                return null;
            });
        } catch (DomainException e) {
            throw e;
        } catch (InvalidLayerException e) {
            throw DomainException.invalid("invalid layer: " + e.getMessage());
        } catch (Exception e) {
            throw new DomainException(DomainException.Kind.INVALID, "cannot load archive: " + e.getMessage(), e);
        } finally {
            gc.collect();
        }
        return loaded;
    }

    private Loaded loadDockerArchiveImage(Archive a, DockerArchiveManifest m, Actor actor) throws IOException {
        ImageConfigBlob config = ImageConfigBlob.parse(a.bytes(m.config(), content));
        List<String> layerPaths = m.layers();
        List<Digest> blobs = new ArrayList<>();
        for (String path : layerPaths) {
            blobs.add(a.blob(path).orElseThrow(() -> DomainException.invalid("archive lacks layer " + path + " named in manifest.json")));
        }
        List<ImageReference> tags = new ArrayList<>();
        for (String t : m.repoTags()) {
            tags.add(tagger.reference(t, null));
        }
        return record(config, blobs, tags, "docker-archive", actor);
    }

    private List<Loaded> loadOciManifest(Archive a, Descriptor d, Actor actor) throws IOException {
        byte[] json = a.bytes(blobPath(d.digest()), content);
        if (MediaTypes.isIndex(d.mediaType())) {
            List<Loaded> nested = new ArrayList<>();
            for (Descriptor inner : ImageJson.MAPPER.readValue(json, ImageIndex.class).manifests()) {
                nested.addAll(loadOciManifest(a, inner, actor));
            }
            return nested;
        }
        ImageManifest manifest = ImageJson.MAPPER.readValue(json, ImageManifest.class);
        ImageConfigBlob config = ImageConfigBlob.parse(a.bytes(blobPath(manifest.config().digest()), content));
        List<Digest> blobs = manifest.layers().stream().map(Descriptor::digest).toList();
        for (Digest blob : blobs) {
            if (!content.exists(blob)) {
                throw DomainException.invalid("archive lacks layer blob " + blob);
            }
        }
        return List.of(record(config, blobs, ociTags(d), "oci-layout", actor));
    }

    private List<ImageReference> ociTags(Descriptor d) {
        Map<String, String> ann = d.annotations() == null ? Map.of() : d.annotations();
        for (String key : List.of(ImageIndex.DOCKER_NAME_ANNOTATION, ImageIndex.REF_NAME_ANNOTATION)) {
            String name = ann.get(key);
            // A bare tag ("latest") names no repository, so it cannot become a reference on its own.
            if (name != null && (name.contains("/") || name.contains(":"))) {
                try {
                    return List.of(tagger.reference(name, null));
                } catch (DomainException e) {
                    // not a usable reference; load the image untagged
                }
            }
        }
        return List.of();
    }

    private Loaded record(ImageConfigBlob config, List<Digest> blobs, List<ImageReference> tags, String format, Actor actor) throws IOException {
        List<Digest> diffIds = config.config().diffIds();
        if (diffIds.size() != blobs.size()) {
            throw DomainException.invalid("image " + config.id() + " lists " + diffIds.size() + " diff ids but " + blobs.size() + " layers");
        }
        if (!content.exists(config.id())) {
            content.write(new ByteArrayInputStream(config.bytes()), config.id());
        }
        List<LayerRef> refs = new ArrayList<>();
        Digest parent = null;
        long size = 0;
        for (int i = 0; i < blobs.size(); i++) {
            Layer layer;
            try (InputStream in = content.open(blobs.get(i))) {
                layer = layers.unpack(parent, in, diffIds.get(i));
            }
            refs.add(new LayerRef(layer.diffId().toString(), blobs.get(i).toString(), layer.size()));
            parent = layer.chainId();
            size += layer.size();
        }
        String imageId = config.id().toString();
        commands.send(new RecordImageLoad(imageId, refs, size, format), actor);
        for (ImageReference tag : tags) {
            tagger.tag(imageId, tag, actor);
        }
        return new Loaded(imageId, tags);
    }

    private static String blobPath(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    private Archive spool(InputStream archive) throws IOException {
        Archive a = new Archive();
        TarArchiveInputStream tar = new TarArchiveInputStream(archive);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            String name = normalize(entry.getName());
            if (entry.isSymbolicLink()) {
                a.links.put(name, normalize(Path.of(name).resolveSibling(entry.getLinkName()).normalize().toString()));
            } else if (entry.isFile()) {
                if (isMetadata(name)) {
                    if (entry.getSize() > MAX_METADATA_BYTES) {
                        throw DomainException.invalid(name + " is too large (" + entry.getSize() + " bytes)");
                    }
                    a.metadata.put(name, tar.readAllBytes());
                } else {
                    a.files.put(name, content.write(CloseShieldInputStream.wrap(tar)));
                }
            }
        }
        return a;
    }

    private static boolean isMetadata(String name) {
        return name.equals(DockerArchiveManifest.FILE_NAME) || name.equals("index.json")
                || name.equals(OciLayout.FILE_NAME) || name.equals("repositories");
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n.startsWith("/") ? n.substring(1) : n;
    }

    /** What the archive held: small metadata files in memory, everything else in the content store. */
    private static final class Archive {
        final Map<String, byte[]> metadata = new HashMap<>();
        final Map<String, Digest> files = new HashMap<>();
        final Map<String, String> links = new HashMap<>();

        Optional<Digest> blob(String path) {
            String p = normalize(path);
            for (int hops = 0; hops < 8 && links.containsKey(p); hops++) {
                p = links.get(p);
            }
            return Optional.ofNullable(files.get(p));
        }

        byte[] bytes(String path, ContentStore content) throws IOException {
            Digest d = blob(path).orElseThrow(() -> DomainException.invalid("archive lacks " + path));
            try (InputStream in = content.open(d)) {
                return in.readAllBytes();
            }
        }
    }
}
