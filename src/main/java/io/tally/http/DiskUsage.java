package io.tally.http;

import io.tally.container.query.ContainerView;
import io.tally.image.ImageReference;
import io.tally.image.api.LayerRef;
import io.tally.image.query.ImageView;
import io.tally.runtime.rootfs.ContainerFilesystem;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /system/df} ({@code docker system df [-v]}): images with the containers using them and the
 * bytes they share with other images (layers are stored once, by diff id), containers with what they
 * wrote. No volumes and no build cache exist yet: both lists are empty, as on a Docker without them.
 */
final class DiskUsage {
    private DiskUsage() {
    }

    static Map<String, Object> of(List<ImageView> images, List<ContainerView> containers, ContainerFilesystem files) {
        Map<String, Long> containersPerImage = containers.stream()
                .collect(Collectors.groupingBy(c -> c.imageId, Collectors.counting()));
        Map<String, Long> imagesPerLayer = new HashMap<>();
        Map<String, Long> layerSizes = new HashMap<>();
        for (ImageView i : images) {
            for (LayerRef l : i.layerRefs().stream().collect(Collectors.toMap(LayerRef::diffId, Function.identity(), (a, b) -> a)).values()) {
                imagesPerLayer.merge(l.diffId(), 1L, Long::sum);
                layerSizes.put(l.diffId(), l.size());
            }
        }
        Map<String, Object> df = new LinkedHashMap<>();
        df.put("LayersSize", layerSizes.values().stream().mapToLong(Long::longValue).sum());
        df.put("Images", images.stream().map(i -> image(i, containersPerImage.getOrDefault(i.id, 0L), imagesPerLayer)).toList());
        df.put("Containers", containers.stream().map(c -> container(c, files, images)).toList());
        df.put("Volumes", List.of());
        df.put("BuildCache", List.of());
        return df;
    }

    private static Map<String, Object> image(ImageView i, long containers, Map<String, Long> imagesPerLayer) {
        long shared = i.layerRefs().stream().filter(l -> imagesPerLayer.getOrDefault(l.diffId(), 0L) > 1)
                .collect(Collectors.toMap(LayerRef::diffId, LayerRef::size, (a, b) -> a)).values().stream().mapToLong(Long::longValue).sum();
        List<String> tags = i.tags().stream().map(t -> ImageReference.parse(t).familiar()).toList();
        Map<String, String> labels = ImageJsonViews.labels(i);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Containers", containers);
        m.put("Created", i.createdAt.getEpochSecond());
        m.put("Id", i.id);
        m.put("Labels", labels.isEmpty() ? null : labels);
        m.put("ParentId", "");
        m.put("RepoDigests", tags.isEmpty() ? List.of("<none>@<none>") : List.of());
        m.put("RepoTags", tags.isEmpty() ? List.of("<none>:<none>") : tags);
        m.put("SharedSize", shared);
        m.put("Size", i.size);
        m.put("VirtualSize", i.size);
        return m;
    }

    private static Map<String, Object> container(ContainerView c, ContainerFilesystem files, List<ImageView> images) {
        Map<String, Object> m = new LinkedHashMap<>(ContainerJsonViews.summary(c));
        long written;
        try {
            written = files.changesSize(c.id);
        } catch (IOException e) {
            written = 0; // its directory went away meanwhile (removed while we looked)
        }
        long imageSize = images.stream().filter(i -> i.id.equals(c.imageId)).mapToLong(i -> i.size).findFirst().orElse(0);
        m.put("SizeRw", written);
        m.put("SizeRootFs", written + imageSize);
        return m;
    }
}
