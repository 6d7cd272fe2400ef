package dev.ferry.shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.LinkedHashSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.ConfigurationError;
import dev.ferry.ingest.SourceFormat;

/**
 * Turns a record as read from a file into the record the API gets, and its key (docs/shaping.md), in this order:
 * <ol>
 * <li>types ({@code ferry.record.types.<field>}) and empty CSV cells ({@code ferry.csv.empty}), by the field names
 * of the source;</li>
 * <li>renames ({@code ferry.record.rename.<from>}), drops ({@code ferry.record.drop}, names after renaming),
 * constants ({@code ferry.record.set.<field>});</li>
 * <li>the JSLT transform ({@code ferry.record.transform});</li>
 * <li>the key ({@code ferry.record.key}, or the shaped record's {@code ferry.record.key-field}).</li>
 * </ol>
 * Built once at start ({@link #of}), where every configuration mistake it can see stops the run (exit 78);
 * immutable and thread-safe. With nothing configured an NDJSON record costs the key lookup only, and a CSV record a
 * scan for empty cells: it is copied only when a step changes it. The raw record is never modified.
 */
public final class RecordShaper {

    private final FieldMapping fields;
    private final JsltTransform transform;
    private final KeyTemplate key;
    private final Set<String> keyColumns;

    private RecordShaper(FieldMapping fields, JsltTransform transform, KeyTemplate key, Set<String> keyColumns) {
        this.fields = fields;
        this.transform = transform;
        this.key = key;
        this.keyColumns = keyColumns;
    }

    /**
     * The shaper of these rules, the transform compiled.
     *
     * @throws ConfigurationError naming the property at fault
     */
    public static RecordShaper of(ShapingRules rules) {
        KeyTemplate key = rules.keyTemplate().map(KeyTemplate::parse).orElseGet(() -> KeyTemplate.field(rules.keyField()));
        FieldMapping fields = FieldMapping.of(rules);
        JsltTransform transform = rules.transform().map(JsltTransform::compile).orElse(null);
        if (transform == null) {
            checkKeyFieldsSurvive(rules, key); // a transform may make them anew: then only records can tell
        }
        return new RecordShaper(fields, transform, key, transform == null ? keyColumns(rules, key) : Set.of());
    }

    /**
     * The columns of a source file the key is read from, by their names in the file; empty when a transform makes
     * the record (only records can tell then).
     */
    public Set<String> keyColumns() {
        return keyColumns;
    }

    /** Each field of the key, as the file names it: renamed back, and none for a constant of ferry.record.set. */
    private static Set<String> keyColumns(ShapingRules rules, KeyTemplate key) {
        Set<String> columns = new LinkedHashSet<>();
        for (String field : key.fields()) {
            if (rules.set().containsKey(field)) {
                continue;
            }
            String source = rules.rename().entrySet().stream().filter(r -> r.getValue().equals(field))
                    .map(Map.Entry::getKey).findFirst().orElse(field);
            columns.add(source);
        }
        return Set.copyOf(columns);
    }

    /**
     * The record shaped, and its key.
     *
     * @param raw    the record as read; not modified
     * @param format its file's format: CSV cells are all text, and empty ones follow {@code ferry.csv.empty}
     * @throws ShapeException when a value does not fit its type, a rename collides, the transform fails, or no key can
     *                        be made; the record goes to rejected/
     */
    public Shaped shape(ObjectNode raw, SourceFormat format) throws ShapeException {
        ObjectNode record = fields.apply(raw, format);
        if (transform != null) {
            record = transform.apply(record);
        }
        return new Shaped(record, key.keyOf(record));
    }

    /** Without a transform, a key field that the field steps remove would leave every record without a key. */
    private static void checkKeyFieldsSurvive(ShapingRules rules, KeyTemplate key) {
        List<String> problems = new ArrayList<>();
        for (String field : key.fields()) {
            if (rules.drop().contains(field)) {
                problems.add("'" + field + "' is dropped by ferry.record.drop");
            } else if (FieldMapping.renamedAway(field, rules)) {
                problems.add("'" + field + "' is renamed to '" + rules.rename().get(field) + "' by "
                        + ShapingRules.property("ferry.record.rename", field)
                        + " (the key is read from the shaped record)");
            }
        }
        if (rules.set().keySet().containsAll(key.fields())) {
            problems.add(String.join(", ", key.fields()) + " set to constants by ferry.record.set, so every record "
                    + "would have the same key");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationError(key.property(), String.join("; ", problems));
        }
    }
}
