package dev.ferry.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import dev.ferry.config.FerryConfig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The chart in {@code helm/ferry} for the chart tests: {@code helm template}, {@code helm lint} and a client-only
 * {@code helm install} (for NOTES.txt) through helm-java (the Helm Go library on Maven Central, no helm CLI), and
 * every rendered document read into its typed fabric8 model, failing on unknown fields and wrong types.
 */
final class HelmChart {

    static final Path CHART = Path.of("helm", "ferry");
    static final String RELEASE = "nightly";
    static final String FULLNAME = "nightly-ferry";
    static final String NAMESPACE = "batch";
    /**
     * helm-java's {@code template} assumes Kubernetes v1.20.0 unless told otherwise, below the chart's
     * {@code kubeVersion: >=1.27.0-0} (a real install uses the cluster's version).
     */
    static final String KUBE_VERSION = "1.31.0";

    static final YAMLMapper YAML = new YAMLMapper();
    /** Strict about types: a string where Kubernetes wants a number or boolean (or the reverse) fails. */
    private static final ObjectMapper MODEL_MAPPER = new ObjectMapper();
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization(MODEL_MAPPER, true);

    static {
        MODEL_MAPPER.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        MODEL_MAPPER.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    private HelmChart() {
    }

    /** Scratch values files and chart copies stay inside the build directory. */
    static final class UnderTarget implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "helm-chart-test")), "run-");
        }
    }

    /** The scenario files of {@code ci/}, each a complete set of values. */
    static Stream<Path> ciValuesFiles() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            List<Path> list = files.filter(f -> f.toString().endsWith("-values.yaml")).sorted().toList();
            assertThat(list).extracting(f -> f.getFileName().toString())
                    .contains("dev-values.yaml", "prod-values.yaml");
            return list.stream();
        }
    }

    /** A values file with this YAML, in {@code dir}. */
    static Path values(Path dir, String yaml) {
        try {
            return Files.writeString(Files.createTempFile(dir, "values-", ".yaml"), yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code helm template} of release {@link #RELEASE} in {@link #NAMESPACE}; valuesFile may be null. */
    static String template(Path valuesFile) {
        TemplateCommand command = new Helm(CHART).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        return command.call();
    }

    static List<HasMetadata> render() {
        return parseAll(template(null));
    }

    static List<HasMetadata> render(Path valuesFile) {
        return parseAll(template(valuesFile));
    }

    /** NOTES.txt as {@code helm install} prints it (client-only dry run). */
    static String notes(Path valuesFile) {
        var install = new Helm(CHART).install()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .clientOnly()
                .dryRun();
        if (valuesFile != null) {
            install = install.withValuesFile(valuesFile);
        }
        String output = install.call().getOutput();
        assertThat(output).contains("NOTES:");
        return output.substring(output.indexOf("NOTES:"));
    }

    /** {@code helm lint --strict} of a copy of the chart whose values.yaml is the defaults merged with valuesFile. */
    static LintResult lint(Path valuesFile, Path scratch) throws IOException {
        return new Helm(valuesFile == null ? CHART : chartCopyWithValues(valuesFile, scratch)).lint().strict().call();
    }

    static void assertLintClean(LintResult result) {
        String messages = String.join("\n", result.getMessages());
        assertThat(result.isFailed()).as("helm lint --strict:\n%s", messages).isFalse();
        assertThat(result.getMessages()).as("helm lint --strict")
                .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    /** Every document of a rendered chart as its typed fabric8 model; see {@link #parse}. */
    static List<HasMetadata> parseAll(String rendered) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String document : rendered.split("(?m)^---\\s*$")) {
            if (document.lines().anyMatch(line -> !line.isBlank() && !line.startsWith("#"))) {
                resources.add(parse(document));
            }
        }
        return resources;
    }

    /**
     * Reads one manifest into the typed model of its kind. Fails on a wrong type (strict mapper)
     * and on any field the model does not know: those land in additionalProperties, which are
     * collected over the whole object tree and reported with their path.
     */
    static HasMetadata parse(String document) {
        try {
            JsonNode tree = YAML.readTree(document);
            String apiVersion = tree.path("apiVersion").asText();
            String kind = tree.path("kind").asText();
            Class<? extends HasMetadata> type = KUBERNETES.getRegisteredKubernetesResource(apiVersion, kind)
                    .asSubclass(HasMetadata.class);
            HasMetadata resource = MODEL_MAPPER.treeToValue(tree, type);
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(resource, kind, unknown);
            if (!unknown.isEmpty()) {
                throw new AssertionError("unknown fields in " + kind + ":\n  " + String.join("\n  ", unknown)
                        + "\n--- manifest:\n" + document);
            }
            return resource;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("cannot read manifest: " + e.getMessage() + "\n--- manifest:\n" + document, e);
        }
    }

    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
            return;
        }
        if (node instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = node.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                boolean additional = field.getName().equals("additionalProperties");
                if (!additional && !field.isAnnotationPresent(JsonProperty.class)) {
                    continue;
                }
                Object value = read(field, node);
                if (additional) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    String name = field.getAnnotation(JsonProperty.class).value();
                    collectUnknownFields(value, path + "." + (name.isEmpty() ? field.getName() : name), unknown);
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path chartCopyWithValues(Path valuesFile, Path scratch) throws IOException {
        Path copy = Files.createTempDirectory(scratch, "chart-").resolve("ferry");
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path source : files.toList()) {
                Path target = copy.resolve(CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        ObjectNode values = (ObjectNode) YAML.readTree(CHART.resolve("values.yaml").toFile());
        merge(values, (ObjectNode) YAML.readTree(valuesFile.toFile()));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values);
        return copy;
    }

    /** Helm's coalescing: maps merge key by key, anything else replaces. */
    private static void merge(ObjectNode base, ObjectNode override) {
        for (Iterator<Map.Entry<String, JsonNode>> it = override.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode current = base.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode overrideObject) {
                merge(currentObject, overrideObject);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    /** The data of the main ConfigMap: the FERRY_* environment. */
    static Map<String, String> configData(List<HasMetadata> resources) {
        return configMap(resources, FULLNAME).getData();
    }

    static ConfigMap configMap(List<HasMetadata> resources, String name) {
        return all(resources, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    static PodSpec cronJobPod(List<HasMetadata> resources) {
        return cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    static CronJob cronJob(List<HasMetadata> resources, String name) {
        return all(resources, CronJob.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no CronJob " + name));
    }

    static Container ferryContainer(PodSpec pod) {
        return pod.getContainers().stream().filter(c -> c.getName().equals("ferry")).findFirst()
                .orElseThrow(() -> new AssertionError("no container ferry"));
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    static <T> List<T> all(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> matches = all(resources, type);
        assertThat(matches).as("%s resources", type.getSimpleName()).hasSize(1);
        return matches.get(0);
    }

    static List<String> kinds(List<HasMetadata> resources) {
        return resources.stream().map(HasMetadata::getKind).toList();
    }

    /** values.schema.json of the chart. */
    static JsonNode schema() throws IOException {
        return MODEL_MAPPER.readTree(CHART.resolve("values.schema.json").toFile());
    }

    /**
     * The configuration as the application builds it from what the chart renders: the ConfigMap's environment
     * (ordinal 300) over the properties file of the map-typed properties (260).
     */
    static SmallRyeConfig asTheApplicationReadsIt(List<HasMetadata> resources) throws IOException {
        Map<String, String> env = new LinkedHashMap<>(configData(resources));
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors() // property expressions, as in defaults such as ferry.shard.index's
                .withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(FerryConfig.class);
        if (env.containsKey("QUARKUS_CONFIG_LOCATIONS")) {
            Properties file = new Properties();
            file.load(new StringReader(configMap(resources, FULLNAME + "-properties").getData().get("ferry.properties")));
            builder.withSources(new PropertiesConfigSource(file, "ferry.properties", 260));
        }
        return builder.build();
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
