package dev.ferry.shape;

import java.math.BigInteger;
import java.time.DateTimeException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.core.Json;

/**
 * The type of a field ({@code ferry.record.types.<field>}, lowercase in configuration): what values it accepts and
 * the canonical JSON it sends. One rule for both formats: a string value (every CSV cell, and an NDJSON string) is
 * converted from its text, surrounding white space ignored for every type but {@code string}; an NDJSON value that
 * already has the JSON type is checked and kept exactly as written; {@code null} stays {@code null} (whether a field
 * may be null is the API's call). Anything else sends the record to rejected/ with a {@link ShapeException}.
 * Conversion never goes through binary floating point.
 */
public enum FieldType {

    /** Any text, kept as it is (the default for CSV). An NDJSON number or boolean becomes its JSON text. */
    STRING("a string") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) {
            return node;
        }

        @Override
        JsonNode fromJson(String field, JsonNode value) throws ShapeException {
            if (value.isNumber() || value.isBoolean()) {
                return TextNode.valueOf(value.asText());
            }
            throw notA(field, value);
        }
    },

    /**
     * A whole number of any size, exactly: {@code 42}, {@code -7}, {@code +5}, {@code 007} (sent as 7), and a
     * decimal whose fraction is zero ({@code 3.0}, {@code 1e3}); {@code 3.5} is refused.
     */
    INTEGER("an integer") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) throws ShapeException {
            try {
                JsonNode integer = ExactNumbers.integer(text);
                if (integer == null) {
                    throw new ShapeException(field, text, "is not a whole number");
                }
                return integer;
            } catch (NumberFormatException e) {
                throw new ShapeException(field, text, ExactNumbers.NOT_A_NUMBER.equals(e.getMessage())
                        ? "is not " + description() : e.getMessage());
            }
        }

        @Override
        JsonNode fromJson(String field, JsonNode value) throws ShapeException {
            if (value.isIntegralNumber()) {
                return value;
            }
            if (!value.isNumber()) {
                throw notA(field, value);
            }
            try {
                JsonNode integer = ExactNumbers.integer(value.decimalValue());
                if (integer == null) {
                    throw new ShapeException(field, value, "is not a whole number");
                }
                return integer;
            } catch (NumberFormatException e) {
                throw new ShapeException(field, value, e.getMessage());
            }
        }
    },

    /**
     * A decimal number kept exactly as written, digits and scale ({@code 9.50} stays {@code 9.50}; a leading
     * {@code +} and leading zeros are dropped); exponents are accepted ({@code 1e400} is sent as {@code 1E+400}).
     */
    DECIMAL("a decimal number") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) throws ShapeException {
            String problem = ExactNumbers.decimalProblem(text);
            if (problem != null) {
                throw new ShapeException(field, text, ExactNumbers.NOT_A_NUMBER.equals(problem) ? "is not " + description()
                        : problem);
            }
            try {
                return ExactNumbers.decimalNode(ExactNumbers.decimal(text));
            } catch (NumberFormatException e) {
                throw new ShapeException(field, text, e.getMessage());
            }
        }

        @Override
        JsonNode fromJson(String field, JsonNode value) throws ShapeException {
            if (value.isNumber()) {
                return value;
            }
            throw notA(field, value);
        }
    },

    /** {@code true/false/1/0/yes/no} in any case; an NDJSON 1 or 0 too. */
    BOOLEAN("a boolean (true/false/1/0/yes/no)") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) throws ShapeException {
            if (text.equalsIgnoreCase("true") || text.equals("1") || text.equalsIgnoreCase("yes")) {
                return BooleanNode.TRUE;
            }
            if (text.equalsIgnoreCase("false") || text.equals("0") || text.equalsIgnoreCase("no")) {
                return BooleanNode.FALSE;
            }
            throw notA(field, node);
        }

        @Override
        JsonNode fromJson(String field, JsonNode value) throws ShapeException {
            if (value.isBoolean()) {
                return value;
            }
            if (value.isIntegralNumber()) {
                BigInteger number = value.bigIntegerValue();
                if (number.signum() == 0 || number.equals(BigInteger.ONE)) {
                    return BooleanNode.valueOf(number.signum() != 0);
                }
            }
            throw notA(field, value);
        }
    },

    /** An ISO-8601 calendar date, sent as {@code yyyy-MM-dd}. */
    DATE("a date (yyyy-MM-dd)") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) throws ShapeException {
            try {
                String date = IsoDates.date(text);
                return date == node.textValue() ? node : TextNode.valueOf(date);
            } catch (DateTimeException e) {
                throw notA(field, node);
            }
        }
    },

    /**
     * An ISO-8601 date and time with an offset ({@code Z} or {@code ±hh:mm}; a space may stand for the {@code T}),
     * sent as {@code yyyy-MM-ddTHH:mm:ss[.fraction]±hh:mm} with the offset as written ({@code +00:00} as {@code Z})
     * and the fraction without trailing zeros. A local time without an offset is refused: it names no instant.
     */
    DATETIME("a datetime (ISO-8601 with an offset, like 2024-03-01T10:00:00Z)") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) throws ShapeException {
            try {
                String dateTime = IsoDates.dateTime(text);
                return dateTime == node.textValue() ? node : TextNode.valueOf(dateTime);
            } catch (DateTimeException e) {
                if (IsoDates.isLocalDateTime(text)) {
                    throw new ShapeException(field, text, "has no offset (add Z or +hh:mm), not " + description());
                }
                throw notA(field, node);
            }
        }
    },

    /** The text is JSON (any value: object, array, string, number, boolean, null); an NDJSON value of any type. */
    JSON("JSON") {
        @Override
        JsonNode fromText(String field, TextNode node, String text) throws ShapeException {
            JsonNode value;
            try {
                value = STRICT.readTree(text);
            } catch (StreamConstraintsException e) { // a reader's limit, such as the nesting depth: no location
                throw new ShapeException(field, text, "is not JSON (" + limit(e) + ")");
            } catch (JsonProcessingException e) {
                String duplicate = e.getOriginalMessage().startsWith("Duplicate field") ? ", a repeated field name" : "";
                throw new ShapeException(field, text, "is not JSON (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + duplicate + ")");
            }
            if (value == null || value.isMissingNode()) { // NDJSON "": CSV empty cells never come here
                throw new ShapeException(field, "", "is not JSON (it is empty)");
            }
            return value;
        }

        @Override
        JsonNode fromJson(String field, JsonNode value) {
            return value;
        }
    };

    /**
     * JSON text of a {@code json} field: a repeated field name is refused, as the NDJSON reader refuses it, since
     * keeping the last value would drop the others unseen; and one level less deep than Jackson writes, since the
     * record around the value is one more.
     */
    private static final ObjectReader STRICT = Json.MAPPER.reader().with(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(StreamWriteConstraints.defaults().getMaxNestingDepth() - 1).build())
            .build()).with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final String description;

    FieldType(String description) {
        this.description = description;
    }

    /**
     * The field's value shaped to this type: a CSV cell or any NDJSON value.
     *
     * @param field the field's name in the source, for the message
     * @param value its value; a CSV cell is a non-empty text node (empty cells are handled before)
     * @throws ShapeException when the value does not fit
     */
    final JsonNode shape(String field, JsonNode value) throws ShapeException {
        if (value.isNull()) {
            return value;
        }
        if (value instanceof TextNode text) {
            return fromText(field, text, this == STRING ? text.textValue() : text.textValue().strip());
        }
        return fromJson(field, value);
    }

    /** What the type accepts, as a message says it ({@code an integer}). */
    String description() {
        return description;
    }

    /** From a string value, already stripped of surrounding white space unless the type is {@code string}. */
    abstract JsonNode fromText(String field, TextNode node, String text) throws ShapeException;

    /** From an NDJSON value that is neither a string nor null. */
    JsonNode fromJson(String field, JsonNode value) throws ShapeException {
        throw notA(field, value);
    }

    /** The limit a {@link StreamConstraintsException} names, without Jackson's method name (nor any colon). */
    private static String limit(StreamConstraintsException e) {
        String message = e.getOriginalMessage().replaceAll(", from `[^`]*`", "").replace(':', ' ');
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    ShapeException notA(String field, JsonNode value) {
        String got = value.isTextual() ? "" : "is " + ShapeException.kind(value) + ", ";
        return new ShapeException(field, value, (got.isEmpty() ? "is not " : got + "not ") + description);
    }
}
