package dev.ferry;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

import io.smallrye.config.WithName;
import dev.ferry.config.FerryConfig;

/**
 * Every {@code ferry.*} property, read off the {@link FerryConfig} mapping itself (its methods, kebab-cased as
 * SmallRye names them), so that tests of what documents or sets the properties (the chart, docs/reference.md)
 * follow the code: a property added to FerryConfig is one those tests ask for.
 */
public final class FerryProperties {

    private static final Pattern SECRET = Pattern.compile("(token|secret|password)$|api-key\\.value$");

    /**
     * One property: {@code name} as in {@code ferry.retry.max-retries} ({@code ferry.metrics.grouping} for a
     * map, whose entries are {@code name.<key>}), the accessor path from FerryConfig, and the type of its value
     * (of a map's values; Optional and OptionalInt/Long/Double unwrapped).
     */
    public record Property(String name, List<Method> accessors, Type valueType, boolean map) {

        /** The accessor names: the path of the property in camelCase, e.g. [retry, maxRetries]. */
        public List<String> path() {
            return accessors.stream().map(Method::getName).toList();
        }

        /** A secret (token, password, client secret, API key): never in a ConfigMap. */
        public boolean secret() {
            return SECRET.matcher(name).find();
        }

        /** The property's value in a mapping instance, through its accessors (Optionals as they are). */
        public Object read(Object mapping) {
            Object value = mapping;
            for (Method accessor : accessors) {
                try {
                    value = accessor.invoke(value);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(name, e);
                }
            }
            return value;
        }
    }

    private FerryProperties() {
    }

    /** Every property of FerryConfig, sorted by name. */
    public static List<Property> all() {
        List<Property> found = new ArrayList<>();
        walk(FerryConfig.class, "ferry", List.of(), found);
        found.sort(Comparator.comparing(Property::name));
        return found;
    }

    private static void walk(Class<?> group, String prefix, List<Method> path, List<Property> found) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            WithName named = method.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
            List<Method> accessors = new ArrayList<>(path);
            accessors.add(method);
            Type type = method.getGenericReturnType();
            Class<?> raw = raw(type);
            if (raw.isInterface() && raw.getEnclosingClass() == FerryConfig.class) {
                walk(raw, name, accessors, found);
            } else if (Map.class.isAssignableFrom(raw)) {
                found.add(new Property(name, List.copyOf(accessors), argument(type, 1), true));
            } else {
                found.add(new Property(name, List.copyOf(accessors), unwrap(type), false));
            }
        }
    }

    /** SmallRye's default naming of a mapping method: camelCase to kebab-case. */
    public static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Type unwrap(Type type) {
        Class<?> raw = raw(type);
        if (raw == Optional.class) {
            return argument(type, 0);
        }
        if (raw == OptionalInt.class) {
            return int.class;
        }
        if (raw == OptionalLong.class) {
            return long.class;
        }
        if (raw == OptionalDouble.class) {
            return double.class;
        }
        return type;
    }

    public static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    }

    public static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }
}
