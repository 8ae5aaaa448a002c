package io.tally.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code oci-layout} file that marks a directory or tar as an OCI image layout. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record OciLayout(@JsonProperty("imageLayoutVersion") String imageLayoutVersion) {

    public static final String FILE_NAME = "oci-layout";
    public static final OciLayout CURRENT = new OciLayout("1.0.0");
}
