package io.tally.image;

import io.tally.image.api.LayerRef;
import io.tally.image.query.ImageView;
import io.tally.store.Compression;
import io.tally.store.ContentStore;
import io.tally.store.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `docker save`: writes images as a docker-archive (the legacy layout `docker load` of every Docker
 * version reads): {@code <config-hex>.json}, {@code <diffid-hex>/layer.tar} (uncompressed, so its
 * digest is the diff id), {@code <diffid-hex>/VERSION}, {@code manifest.json}.
 */
@ApplicationScoped
public class ImageArchiveWriter {
    @Inject ContentStore content;

    /** One image to write, with the references to record for it in manifest.json. */
    public record Entry(ImageView image, List<ImageReference> tags) {
    }

    public void write(List<Entry> images, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 32 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Instant mtime = Instant.EPOCH;
        Set<String> written = new HashSet<>();
        Map<String, DockerArchiveManifest> manifests = new LinkedHashMap<>();
        for (Entry e : images) {
            String configHex = Digest.parse(e.image().id).hex();
            String configName = configHex + ".json";
            if (written.add(configName)) {
                try (InputStream in = content.open(Digest.parse(e.image().id))) {
                    file(tar, configName, in.readAllBytes(), mtime);
                }
            }
            List<String> layerPaths = new ArrayList<>();
            for (LayerRef layer : e.image().layerRefs()) {
                String dir = Digest.parse(layer.diffId()).hex();
                String path = dir + "/layer.tar";
                layerPaths.add(path);
                if (written.add(path)) {
                    directory(tar, dir + "/", mtime);
                    file(tar, dir + "/VERSION", "1.0".getBytes(StandardCharsets.US_ASCII), mtime);
                    layerTar(tar, path, layer, mtime);
                }
            }
            List<String> tags = new ArrayList<>();
            DockerArchiveManifest previous = manifests.get(configName);
            if (previous != null) {
                tags.addAll(previous.repoTags());
            }
            e.tags().stream().map(ImageReference::familiar).filter(t -> !tags.contains(t)).forEach(tags::add);
            manifests.put(configName, new DockerArchiveManifest(configName, tags, layerPaths, null));
        }
        file(tar, DockerArchiveManifest.FILE_NAME, DockerArchiveManifest.writeAll(List.copyOf(manifests.values())), mtime);
        tar.finish();
        tar.flush();
    }

    /** The stored blob may be compressed; the archive carries the tar whose digest is the diff id. */
    private void layerTar(TarArchiveOutputStream tar, String path, LayerRef layer, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(path);
        entry.setSize(layer.size());
        entry.setModTime(mtime.toEpochMilli());
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        try (InputStream in = Compression.decompressed(content.open(Digest.parse(layer.blobDigest())))) {
            long copied = in.transferTo(tar);
            if (copied != layer.size()) {
                throw new IOException("layer " + layer.diffId() + " has " + copied + " bytes, expected " + layer.size());
            }
        }
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] bytes, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setModTime(mtime.toEpochMilli());
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void directory(TarArchiveOutputStream tar, String name, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setModTime(mtime.toEpochMilli());
        entry.setMode(040755);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
