package io.tally.runtime.runc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A built OCI runtime config (runc's config.json) and the warnings Docker would have returned with the container
 * create (limits the host cannot enforce, which were dropped).
 */
public record OciConfig(ObjectNode json, List<String> warnings) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public OciConfig {
        warnings = List.copyOf(warnings);
    }

    public byte[] toBytes() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code bundleDir/config.json} atomically, mode 0600: the env may carry secrets. */
    public Path writeTo(Path bundleDir) throws IOException {
        Files.createDirectories(bundleDir);
        Path tmp = bundleDir.resolve("config.json.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, toBytes());
        return Files.move(tmp, bundleDir.resolve("config.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
