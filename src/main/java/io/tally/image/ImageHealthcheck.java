package io.tally.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * An image's HEALTHCHECK ({@code config.Healthcheck}): the default check of its containers. Durations
 * in nanoseconds; absent fields (null) mean Docker's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"Test", "Interval", "Timeout", "StartPeriod", "Retries"})
public record ImageHealthcheck(
        @JsonProperty("Test") List<String> test,
        @JsonProperty("Interval") Long interval,
        @JsonProperty("Timeout") Long timeout,
        @JsonProperty("StartPeriod") Long startPeriod,
        @JsonProperty("Retries") Integer retries) {

    public ImageHealthcheck {
        test = test == null ? null : List.copyOf(test);
    }
}
