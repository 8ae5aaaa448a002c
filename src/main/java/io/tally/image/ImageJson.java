package io.tally.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.SortedSet;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;

import io.tally.store.Digest;

/**
 * JSON for image documents. The (de)serializers are attached to the model with annotations, so any
 * ObjectMapper (Quarkus's included) reads and writes the model correctly; {@link #MAPPER} only adds the
 * settings that make output byte-stable: compact, map keys sorted like Go's encoding/json.
 */
public final class ImageJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(SerializationFeature.INDENT_OUTPUT, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ImageJson() {
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /** Digests as their string form, {@code sha256:<hex>}. */
    public static final class DigestSerializer extends JsonSerializer<Digest> {
        @Override
        public void serialize(Digest value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(value.toString());
        }
    }

    public static final class DigestDeserializer extends JsonDeserializer<Digest> {
        @Override
        public Digest deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return Digest.parse(text);
            } catch (IllegalArgumentException e) {
                return (Digest) context.handleWeirdStringValue(Digest.class, text, e.getMessage());
            }
        }
    }

    /** RFC 3339 timestamps as Docker writes them, UTC with as many fraction digits as needed. */
    public static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }

    public static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 timestamp");
            }
        }
    }

    /**
     * Go's {@code map[string]struct{}} (ExposedPorts, Volumes): a JSON object whose keys are the values and
     * whose values are all {@code {}}.
     */
    public static final class KeySetSerializer extends JsonSerializer<SortedSet<String>> {
        @Override
        public void serialize(SortedSet<String> value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeStartObject();
            for (String key : value) {
                gen.writeFieldName(key);
                gen.writeStartObject();
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }
    }

    public static final class KeySetDeserializer extends JsonDeserializer<SortedSet<String>> {
        @Override
        @SuppressWarnings("unchecked")
        public SortedSet<String> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return (SortedSet<String>) context.handleUnexpectedToken(SortedSet.class, parser);
            }
            SortedSet<String> keys = new TreeSet<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                keys.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
            return keys;
        }
    }
}
