package dev.ferry.shape;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.ferry.core.ConfigurationError;
import dev.ferry.ingest.SourceFormat;

/**
 * The field steps of shaping, in one pass over the record: types and empty CSV cells (by the source's field names),
 * then renames, drops, and constants. What each source name needs is worked out once, at start, so a record costs one
 * map lookup per field. A record is copied only when a step changes it.
 */
final class FieldMapping {

    /** What happens to one source field: its type (null: as it is) and its shaped name (null: dropped). */
    private record Plan(FieldType type, String target) {
    }

    private final Map<String, Plan> plans;
    private final CsvEmpty csvEmpty;
    private final Map<String, JsonNode> constants;
    private final boolean renames;
    /** No plan and no constant: an NDJSON record passes as it is, and a CSV record unless it has an empty cell. */
    private final boolean onlyEmptyCells;

    private FieldMapping(Map<String, Plan> plans, CsvEmpty csvEmpty, Map<String, JsonNode> constants, boolean renames) {
        this.plans = plans;
        this.csvEmpty = csvEmpty;
        this.constants = constants;
        this.renames = renames;
        this.onlyEmptyCells = plans.isEmpty() && constants.isEmpty();
    }

    /**
     * The field steps of these rules.
     *
     * @throws ConfigurationError when renames collide, a rename target is empty, a dropped name cannot exist after
     *                            renaming, or a constant does not fit its field's type
     */
    static FieldMapping of(ShapingRules rules) {
        Map<String, String> targets = new HashMap<>();
        for (Map.Entry<String, String> rename : rules.rename().entrySet()) {
            String property = ShapingRules.property("ferry.record.rename", rename.getKey());
            if (rename.getValue().isBlank()) {
                throw new ConfigurationError(property, "the new name is empty");
            }
            String other = targets.put(rename.getValue(), rename.getKey());
            if (other != null) {
                throw new ConfigurationError(property, "'" + rename.getKey() + "' and '" + other
                        + "' are both renamed to '" + rename.getValue() + "'");
            }
        }
        Set<String> drop = new HashSet<>(rules.drop());
        for (String name : drop) {
            if (renamedAway(name, rules)) {
                throw new ConfigurationError("ferry.record.drop", "'" + name + "' is renamed to '"
                        + rules.rename().get(name) + "' before drop applies: drop '" + rules.rename().get(name) + "'");
            }
        }
        Set<String> named = new HashSet<>(rules.types().keySet());
        named.addAll(rules.rename().keySet());
        named.addAll(drop);
        Map<String, Plan> plans = new HashMap<>();
        for (String source : named) {
            String target = rules.rename().getOrDefault(source, source);
            plans.put(source, new Plan(rules.types().get(source), drop.contains(target) ? null : target));
        }
        Map<String, JsonNode> constants = new LinkedHashMap<>();
        rules.set().forEach((field, value) -> constants.put(field, constant(field, value, rules)));
        return new FieldMapping(Map.copyOf(plans), rules.csvEmpty(), constants, !rules.rename().isEmpty());
    }

    /** Whether {@code name} is renamed to something else and nothing is renamed to it: it cannot exist after renaming. */
    static boolean renamedAway(String name, ShapingRules rules) {
        String target = rules.rename().get(name);
        return target != null && !target.equals(name) && !rules.rename().containsValue(name);
    }

    /**
     * The record after the field steps: {@code raw} itself when none of them changes it, otherwise a new record
     * ({@code raw} is never modified).
     */
    ObjectNode apply(ObjectNode raw, SourceFormat format) throws ShapeException {
        boolean csv = format == SourceFormat.CSV;
        if (onlyEmptyCells && (!csv || csvEmpty == CsvEmpty.STRING || !hasEmptyCell(raw))) {
            return raw;
        }
        ObjectNode shaped = new ObjectNode(JsonNodeFactory.instance, new LinkedHashMap<>(raw.size() + constants.size()
                + 1, 1f));
        for (Iterator<Map.Entry<String, JsonNode>> fields = raw.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            Plan plan = plans.get(name);
            String target = plan == null ? name : plan.target();
            if (target == null) {
                continue; // dropped: its value is never sent, so it is not checked either
            }
            FieldType type = plan == null ? null : plan.type();
            JsonNode value = field.getValue();
            if (csv && isEmpty(value, type)) {
                value = empty(value, type);
                if (value == null) {
                    continue;
                }
            } else if (type != null) {
                value = type.shape(name, value);
            }
            if (renames && shaped.has(target)) {
                throw new ShapeException(target, "", "is there twice after renaming (a field is renamed to a name "
                        + "the record already has)");
            }
            shaped.set(target, value);
        }
        constants.forEach((name, value) -> shaped.set(name, value.isContainerNode() ? value.deepCopy() : value));
        return shaped;
    }

    private boolean hasEmptyCell(ObjectNode raw) {
        for (JsonNode value : raw) {
            if (value.isTextual() && value.textValue().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** An empty cell: "" for text, or white space only for a field typed otherwise. */
    private static boolean isEmpty(JsonNode value, FieldType type) {
        if (!(value instanceof TextNode text)) {
            return false;
        }
        return type == null || type == FieldType.STRING ? text.textValue().isEmpty() : text.textValue().isBlank();
    }

    /** What an empty cell becomes; null when the field is left out. */
    private JsonNode empty(JsonNode cell, FieldType type) {
        return switch (csvEmpty) {
            case NULL -> NullNode.getInstance();
            case OMIT -> null;
            case STRING -> type == null || type == FieldType.STRING ? cell : NullNode.getInstance();
        };
    }

    private static JsonNode constant(String field, String value, ShapingRules rules) {
        FieldType type = rules.types().get(field);
        if (type == null) {
            return TextNode.valueOf(value);
        }
        try {
            return type.shape(field, TextNode.valueOf(value));
        } catch (ShapeException e) {
            // the value itself is left out: a constant may be a credential
            throw new ConfigurationError(ShapingRules.property("ferry.record.set", field), "the value " + e.reason()
                    + " (" + ShapingRules.property("ferry.record.types", field) + ")");
        }
    }
}
