package dev.ferry.readback;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.Json;

/**
 * Whether the API's copy of a record equals what ferry sent, by {@code ferry.verify.fields}: unset, the whole
 * object (a field the API added counts); {@code *}, only the fields ferry sent; otherwise the listed fields. Values
 * are compared in canonical JSON, so key order and number spelling do not count. One rule for {@code ferry verify}
 * and for the read-back of ambiguous deliveries.
 */
@ApplicationScoped
public class FieldComparison {

    private final Optional<List<String>> configured;

    public FieldComparison(FerryConfig config) {
        this.configured = config.verify().fields();
    }

    /** The compared fields whose values differ, in the order of the sent record (then the stored one's). */
    public List<String> differingFields(ObjectNode sent, JsonNode stored) {
        Set<String> fields = new LinkedHashSet<>();
        if (configured.isPresent() && !configured.get().equals(List.of("*"))) {
            fields.addAll(configured.get());
        } else {
            sent.fieldNames().forEachRemaining(fields::add);
            if (configured.isEmpty()) {
                stored.fieldNames().forEachRemaining(fields::add);
            }
        }
        List<String> differing = new ArrayList<>();
        for (String field : fields) {
            JsonNode a = sent.get(field);
            JsonNode b = stored.get(field);
            boolean same = a == null ? b == null : b != null && Json.canonical(a).equals(Json.canonical(b));
            if (!same) {
                differing.add(field);
            }
        }
        return differing;
    }
}
