package dev.ferry.delivery;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Json;

/**
 * What a log line may show of a record or of the API's answer to it, by {@code ferry.log.redact-fields}.
 * Without those fields every text is shown as it is. With them:
 * <ul>
 * <li>an answer body that is a JSON object or array is shown with the values of those fields masked at
 * any depth, and so is every value in it that contains the record's own value of one of them (an error
 * message or a {@code rejectedValue} that echoes it); any other body (text, HTML, an excerpt cut short)
 * is left out, since it could echo those values in any shape;</li>
 * <li>the key is masked when the key field is one of them;</li>
 * <li>the reason an input line could not be read keeps ferry's words before the first colon: the parser's
 * details after it may quote the input.</li>
 * </ul>
 * Only log lines are redacted: failed/ and rejected/ on the data volume keep records and answers whole,
 * as they are the data to replay and fix. Immutable, thread-safe.
 */
public final class Redaction {

    public static final String MASK = "***";

    private final Set<String> fields;
    private final boolean maskKey;

    public Redaction(List<String> fields, String keyField) {
        this.fields = Set.copyOf(fields);
        this.maskKey = this.fields.contains(keyField);
    }

    public static Redaction of(FerryConfig config) {
        return new Redaction(config.log().redactFields().orElse(List.of()), config.record().keyField());
    }

    /** Whether the key field is redacted. */
    public boolean masksKey() {
        return maskKey;
    }

    /** The key, or {@value #MASK} when the key field is redacted. */
    public String key(String key) {
        return maskKey ? MASK : key;
    }

    /** {@code HTTP 422 <body>} for a log line: the status, and as much of the body as may be shown. */
    public String answer(int status, String body, JsonNode record) {
        String shown = body(body, record);
        return "HTTP " + status + (shown.isEmpty() ? "" : " " + shown);
    }

    /** The answer body as it may be logged; empty when nothing of it may be. */
    String body(String body, JsonNode record) {
        if (fields.isEmpty() || body == null || body.isBlank()) {
            return body == null ? "" : body.strip();
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            return "(body not shown: not JSON and ferry.log.redact-fields is set)";
        }
        if (answer == null || !answer.isContainerNode()) {
            return "(body not shown: not JSON and ferry.log.redact-fields is set)";
        }
        Set<String> values = new HashSet<>();
        collect(record, false, values);
        return Json.write(mask(answer, values));
    }

    /** The reason an input line was rejected, as it may be logged. */
    public String reason(String reason) {
        int colon = reason.indexOf(": ");
        return fields.isEmpty() || colon < 0 ? reason : reason.substring(0, colon) + " (details in rejected/)";
    }

    /** The text of the values the record holds under a redacted field, at any depth. */
    private void collect(JsonNode node, boolean redacted, Set<String> values) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                collect(field.getValue(), redacted || fields.contains(field.getKey()), values);
            }
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, redacted, values));
        } else if (redacted && !node.isNull() && !node.asText().isEmpty()) {
            values.add(node.asText());
        }
    }

    /** The node with redacted fields' values, and values containing a redacted value, masked. */
    private JsonNode mask(JsonNode node, Set<String> values) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                boolean redacted = fields.contains(field.getKey());
                field.setValue(redacted ? TextNode.valueOf(MASK) : mask(field.getValue(), values));
            }
            return object;
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, mask(array.get(i), values));
            }
            return array;
        }
        if (node.isValueNode() && !node.isNull()) {
            String text = node.asText();
            for (String value : values) {
                text = text.replace(value, MASK);
            }
            return text.equals(node.asText()) ? node : TextNode.valueOf(text);
        }
        return node;
    }
}
