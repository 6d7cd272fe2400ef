package dev.ferry.shape;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.core.Json;

/**
 * A record that cannot be shaped: a value that does not fit its type, a rename onto a field the record already has,
 * a key that cannot be made, or a transform that fails. The caller rejects the record (it goes to rejected/ with its
 * file, line and this message) and goes on with the next one.
 * <p>
 * The message names the field and shows at most {@value #EXCERPT_CHARS} characters of the value, never the whole
 * record: {@code field 'qty' is not an integer: "3.5"}. ferry's words stand before the first colon and the value
 * after it, which is what a redacting log line keeps and drops. Stackless: a file of bad values costs no stack walks.
 */
public class ShapeException extends Exception {

    /** The field named when the JSLT transform fails or returns something other than an object. */
    public static final String TRANSFORM = "(transform)";
    static final int EXCERPT_CHARS = 80;

    private final String field;
    private final String valueExcerpt;
    private final String reason;

    /**
     * @param field  the field as the operator wrote it: the source name for a type, the shaped name for the key
     * @param value  the offending value (cut to an excerpt here), or empty when there is none
     * @param reason what is wrong, as a phrase after the field name ({@code is not an integer}); no colon in it
     */
    public ShapeException(String field, String value, String reason) {
        super(message(field, excerpt(value), reason), null, false, false);
        this.field = field;
        this.valueExcerpt = excerpt(value);
        this.reason = reason;
    }

    /** {@link #ShapeException(String, String, String)} with a JSON value shown as JSON text. */
    ShapeException(String field, JsonNode value, String reason) {
        this(field, value == null || value.isMissingNode() || value.isNull() ? ""
                : value.isTextual() ? value.textValue() : value.toString(), reason);
    }

    public String field() {
        return field;
    }

    /** At most {@value #EXCERPT_CHARS} characters of the value, cut with {@code …}; empty when there is no value. */
    public String valueExcerpt() {
        return valueExcerpt;
    }

    public String reason() {
        return reason;
    }

    /** What kind of JSON value this is, with its article: {@code an object}, {@code a number}, {@code null}. */
    static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NULL, MISSING -> "null";
            default -> "a " + value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    static String excerpt(String value) {
        if (value.length() <= EXCERPT_CHARS) {
            return value;
        }
        int end = EXCERPT_CHARS - 1;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // never half a character
        }
        return value.substring(0, end) + "…";
    }

    private static String message(String field, String excerpt, String reason) {
        String subject = TRANSFORM.equals(field) ? "the transform " : "field '" + field + "' ";
        return subject + reason + (excerpt.isEmpty() ? "" : ": " + Json.write(TextNode.valueOf(excerpt)));
    }
}
