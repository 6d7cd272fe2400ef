package dev.ferry.shape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/** Shaping rules for tests, written the way an operator sets the properties; and records as the readers make them. */
final class Rules {

    private final String keyField;
    private final Map<String, FieldType> types = new HashMap<>();
    private CsvEmpty csvEmpty = CsvEmpty.NULL;
    private final Map<String, String> rename = new HashMap<>();
    private final List<String> drop = new ArrayList<>();
    private final Map<String, String> set = new HashMap<>();
    private Path transform;
    private String key;

    private Rules(String keyField) {
        this.keyField = keyField;
    }

    static Rules keyField(String keyField) {
        return new Rules(keyField);
    }

    Rules type(String field, FieldType type) {
        types.put(field, type);
        return this;
    }

    Rules csvEmpty(CsvEmpty mode) {
        csvEmpty = mode;
        return this;
    }

    Rules rename(String from, String to) {
        rename.put(from, to);
        return this;
    }

    Rules drop(String... fields) {
        drop.addAll(List.of(fields));
        return this;
    }

    Rules set(String field, String value) {
        set.put(field, value);
        return this;
    }

    Rules transform(Path file) {
        transform = file;
        return this;
    }

    Rules key(String template) {
        key = template;
        return this;
    }

    ShapingRules rules() {
        return new ShapingRules(keyField, types, csvEmpty, rename, drop, set, Optional.ofNullable(transform),
                Optional.ofNullable(key));
    }

    RecordShaper shaper() {
        return RecordShaper.of(rules());
    }

    /** A CSV row as CsvRecordReader makes it: header → text, in column order. */
    static ObjectNode csv(String... namesAndCells) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndCells.length; i += 2) {
            row.put(namesAndCells[i], namesAndCells[i + 1]);
        }
        ObjectNode record = Json.MAPPER.createObjectNode();
        row.forEach(record::put);
        return record;
    }

    /** An NDJSON line as NdjsonRecordReader reads it (exact decimals). */
    static ObjectNode ndjson(String line) {
        return (ObjectNode) Json.read(line);
    }
}
