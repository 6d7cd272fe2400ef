package dev.ferry.shape;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.ConfigurationError;

/**
 * A record's key, made from top-level fields of the shaped record: {@code ferry.record.key} such as
 * {@code {country}-{id}} (fields in braces, the rest literal text), or by default the one field
 * {@code ferry.record.key-field}. Each field must hold a non-blank string or a number (its JSON text, so
 * {@code 9.50} gives {@code 9.50}); otherwise the record has no usable key. Parsed once at start; filling it in
 * reads the fields and joins them, nothing else.
 */
final class KeyTemplate {

    private static final String PROPERTY = "ferry.record.key";

    /** Literal text (field == null) or a field reference. */
    private record Part(String text, String field) {
    }

    private final Part[] parts;
    private final String source;

    private KeyTemplate(List<Part> parts, String source) {
        this.parts = parts.toArray(Part[]::new);
        this.source = source;
    }

    /** The default key: the value of {@code keyField}. */
    static KeyTemplate field(String keyField) {
        return new KeyTemplate(List.of(new Part(null, keyField)), "ferry.record.key-field");
    }

    /**
     * Parses a template.
     *
     * @throws ConfigurationError naming {@code ferry.record.key} when a brace is unbalanced, {@code {}} names no
     *                            field, or no field is named at all
     */
    static KeyTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = template.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new ConfigurationError(PROPERTY, "'}' at position " + (close + 1) + " closes no '{' in " + template);
            }
            if (open < 0) {
                parts.add(new Part(template.substring(i), null));
                break;
            }
            if (open > i) {
                parts.add(new Part(template.substring(i, open), null));
            }
            int end = template.indexOf('}', open);
            int nested = template.indexOf('{', open + 1);
            if (end < 0 || (nested >= 0 && nested < end)) {
                throw new ConfigurationError(PROPERTY, "'{' at position " + (open + 1) + " is not closed in " + template);
            }
            String field = template.substring(open + 1, end);
            if (field.isBlank()) {
                throw new ConfigurationError(PROPERTY, "'{}' at position " + (open + 1) + " names no field in " + template);
            }
            parts.add(new Part(null, field));
            i = end + 1;
        }
        if (parts.stream().allMatch(part -> part.field() == null)) {
            throw new ConfigurationError(PROPERTY, "names no field (write fields in braces, e.g. {country}-{id}): "
                    + template);
        }
        return new KeyTemplate(parts, PROPERTY);
    }

    /** The fields the key is made of. */
    List<String> fields() {
        List<String> fields = new ArrayList<>();
        for (Part part : parts) {
            if (part.field() != null) {
                fields.add(part.field());
            }
        }
        return fields;
    }

    /** The property the key comes from, for messages. */
    String property() {
        return source;
    }

    /**
     * The key of a shaped record.
     *
     * @throws ShapeException naming the first field that is missing, null, blank or not a string or number
     */
    String keyOf(ObjectNode record) throws ShapeException {
        if (parts.length == 1) {
            return text(record, parts[0].field());
        }
        StringBuilder key = new StringBuilder();
        for (Part part : parts) {
            key.append(part.field() == null ? part.text() : text(record, part.field()));
        }
        return key.toString();
    }

    private static String text(ObjectNode record, String field) throws ShapeException {
        JsonNode value = record.get(field);
        if (value != null && (value.isTextual() || value.isNumber())) {
            String text = value.asText();
            if (!text.isBlank()) {
                return text;
            }
        }
        String problem = value == null ? "is missing" : value.isTextual() ? "is empty"
                : "is " + ShapeException.kind(value) + ", not a string or number";
        throw new ShapeException(field, value, problem + ", so the record has no key");
    }
}
