package io.tally.container.create;

import io.tally.events.DomainException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One object of a create request as Jackson decoded it, read field by field with Docker's types.
 * An explicit JSON {@code null} is "not set", at any depth: a null field reads as absent, a null
 * list element or map value is dropped. A value of the wrong type is refused the way Docker's JSON
 * decoder refuses it.
 */
final class JsonFields {
    private final String path;
    private final Map<?, ?> fields;

    private JsonFields(String path, Map<?, ?> fields) {
        this.path = path;
        this.fields = fields == null ? Map.of() : fields;
    }

    static JsonFields of(String path, Map<?, ?> fields) {
        return new JsonFields(path, fields);
    }

    boolean has(String name) {
        return fields.get(name) != null;
    }

    String text(String name) {
        Object v = fields.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrongType(name, v, "string");
    }

    String text(String name, String unset) {
        String v = text(name);
        return v == null ? unset : v;
    }

    boolean bool(String name) {
        Object v = fields.get(name);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        throw wrongType(name, v, "bool");
    }

    /** A pointer-typed bool in Docker's structs (unset differs from false). */
    Boolean optionalBool(String name) {
        return has(name) ? bool(name) : null;
    }

    long number(String name) {
        Long v = optionalNumber(name);
        return v == null ? 0 : v;
    }

    /** A pointer-typed integer in Docker's structs (unset differs from 0). */
    Long optionalNumber(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                throw new DomainException(DomainException.Kind.INVALID, "json: cannot unmarshal number " + n
                        + " into Go struct field " + field(name) + " of type int64");
            }
        }
        throw wrongType(name, v, "int64");
    }

    /** A pointer-typed int in Docker's structs (StopTimeout). */
    Integer optionalInt(String name) {
        Long v = optionalNumber(name);
        if (v != null && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw DomainException.invalid("json: cannot unmarshal number " + v + " into Go struct field " + field(name) + " of type int");
        }
        return v == null ? null : v.intValue();
    }

    /** A list of strings; null when not set. */
    List<String> strings(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw wrongType(name, v, "[]string");
        }
        List<String> out = new ArrayList<>();
        for (Object e : list) {
            if (e instanceof String s) {
                out.add(s);
            } else if (e != null) {
                throw wrongType(name, e, "string");
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Docker's StrSlice (Cmd, Entrypoint, Healthcheck.Test): a list, or one string. */
    List<String> stringOrStrings(String name, java.util.function.Function<String, List<String>> single) {
        Object v = fields.get(name);
        return v instanceof String s ? single.apply(s) : strings(name);
    }

    /** A map of strings; null when not set. */
    Map<String, String> textMap(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw wrongType(name, v, "map[string]string");
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, e) -> {
            if (e instanceof String s) {
                out.put(String.valueOf(k), s);
            } else if (e != null) {
                throw wrongType(name, e, "string");
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** The keys of a set-like object ({"80/tcp": {}}); null when not set. */
    List<String> keys(String name) {
        Map<String, JsonFields> set = objects(name);
        return set == null ? null : List.copyOf(set.keySet());
    }

    /** A nested object; an empty one when not set. */
    JsonFields object(String name) {
        Object v = fields.get(name);
        if (v == null || v instanceof Map<?, ?>) {
            return new JsonFields(field(name), (Map<?, ?>) v);
        }
        throw wrongType(name, v, "object");
    }

    /** A map of nested objects by key; null when not set (null values dropped). */
    Map<String, JsonFields> objects(String name) {
        return objects(name, false);
    }

    /** @param wrapLists whether each value is a list, wrapped as the single field "" of its JsonFields */
    private Map<String, JsonFields> objects(String name, boolean wrapLists) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw wrongType(name, v, "object");
        }
        Map<String, JsonFields> out = new LinkedHashMap<>();
        map.forEach((k, e) -> {
            if (wrapLists && (e == null || e instanceof List<?>)) {
                Map<String, Object> wrapped = new LinkedHashMap<>();
                wrapped.put("", e);
                out.put(String.valueOf(k), new JsonFields(field(name), wrapped));
            } else if (!wrapLists && (e == null || e instanceof Map<?, ?>)) {
                out.put(String.valueOf(k), new JsonFields(field(name), (Map<?, ?>) e));
            } else {
                throw wrongType(name, e, wrapLists ? "array" : "object");
            }
        });
        return out;
    }

    /** A map of lists of nested objects (PortBindings); null when not set, a null list reads as empty. */
    Map<String, List<JsonFields>> objectLists(String name) {
        Map<String, JsonFields> outer = objects(name, true);
        if (outer == null) {
            return null;
        }
        Map<String, List<JsonFields>> out = new LinkedHashMap<>();
        outer.forEach((k, one) -> {
            List<JsonFields> list = one.objectList("");
            out.put(k, list == null ? List.of() : list);
        });
        return out;
    }

    /** A list of nested objects; null when not set (null elements dropped). */
    List<JsonFields> objectList(String name) {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw wrongType(name, v, "array");
        }
        List<JsonFields> out = new ArrayList<>();
        for (Object e : list) {
            if (e instanceof Map<?, ?> m) {
                out.add(new JsonFields(field(name), m));
            } else if (e != null) {
                throw wrongType(name, e, "object");
            }
        }
        return out;
    }

    private String field(String name) {
        return name.isEmpty() ? path : path + "." + name;
    }

    private DomainException wrongType(String name, Object value, String goType) {
        return DomainException.invalid("json: cannot unmarshal " + jsonType(value) + " into Go struct field " + field(name)
                + " of type " + goType);
    }

    private static String jsonType(Object v) {
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        return v instanceof List<?> ? "array" : "object";
    }
}
