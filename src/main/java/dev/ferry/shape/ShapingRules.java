package dev.ferry.shape;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.ferry.config.FerryConfig;
import dev.ferry.core.ConfigurationError;

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

    /**
     * Reads the rules from the configuration; the type names and {@code ferry.csv.empty} are read here (the config
     * layer knows no shaping), and a name that is none of them is a {@link ConfigurationError} naming the property.
     */
    public static ShapingRules from(FerryConfig config) {
        FerryConfig.Records record = config.record();
        Map<String, FieldType> types = new TreeMap<>();
        record.types().forEach((field, type) -> types.put(field,
                named(FieldType.class, type, property("ferry.record.types", field))));
        return new ShapingRules(record.keyField(), types, named(CsvEmpty.class, config.csv().empty(), "ferry.csv.empty"),
                record.rename(), record.drop().orElse(List.of()), record.set(), record.transform(), record.key());
    }

    private static <E extends Enum<E>> E named(Class<E> type, String value, String property) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.strip())) {
                return constant;
            }
        }
        throw new ConfigurationError(property, "'" + value + "' is none of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
    }

    /** The property that configures {@code name} under a map prefix, quoted as it must be when the name has a dot. */
    static String property(String prefix, String name) {
        return prefix + "." + (name.indexOf('.') >= 0 ? "\"" + name + "\"" : name);
    }
}
