package dev.ferry.shape;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.ferry.config.FerryConfig;

/**
 * The shaping configuration as plain values, so that a {@link RecordShaper} can be built and tested without the
 * application: {@link #from(FerryConfig)} reads it from {@code ferry.record.*} and {@code ferry.csv.empty}.
 *
 * @param keyField    {@code ferry.record.key-field}: the field of the shaped record that holds the key
 * @param types       {@code ferry.record.types.<field>}, by the field's name in the source
 * @param csvEmpty    {@code ferry.csv.empty}
 * @param rename      {@code ferry.record.rename.<from>} = to
 * @param drop        {@code ferry.record.drop}: names after renaming
 * @param set         {@code ferry.record.set.<field>} = constant, typed by {@code types.<field>} when there is one
 * @param transform   {@code ferry.record.transform}: a JSLT file
 * @param keyTemplate {@code ferry.record.key}: a template such as {@code {country}-{id}}
 */
public record ShapingRules(String keyField, Map<String, FieldType> types, CsvEmpty csvEmpty, Map<String, String> rename,
        List<String> drop, Map<String, String> set, Optional<Path> transform, Optional<String> keyTemplate) {

    public ShapingRules {
        types = Map.copyOf(types);
        rename = Map.copyOf(rename);
        drop = drop.stream().filter(name -> !name.isBlank()).toList();
        set = Collections.unmodifiableSortedMap(new TreeMap<>(set)); // added in name order: the same body every run
    }

    /** Nothing to shape: records go as they are read, keyed by {@code keyField}; empty CSV cells become null. */
    public static ShapingRules none(String keyField) {
        return new ShapingRules(keyField, Map.of(), CsvEmpty.NULL, Map.of(), List.of(), Map.of(), Optional.empty(),
                Optional.empty());
    }

    public static ShapingRules from(FerryConfig config) {
        FerryConfig.Records record = config.record();
        return new ShapingRules(record.keyField(), record.types(), config.csv().empty(), record.rename(),
                record.drop().orElse(List.of()), record.set(), record.transform(), record.key());
    }

    /** The property that configures {@code name} under a map prefix, quoted as it must be when the name has a dot. */
    static String property(String prefix, String name) {
        return prefix + "." + (name.indexOf('.') >= 0 ? "\"" + name + "\"" : name);
    }
}
