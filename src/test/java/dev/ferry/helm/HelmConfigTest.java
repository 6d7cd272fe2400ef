package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.configData;
import static dev.ferry.helm.HelmChart.configMap;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.ferryContainer;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.config.FerryConfig;
import dev.ferry.FerryProperties;
import dev.ferry.FerryProperties.Property;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Values to ferry.* properties: every property of {@link FerryConfig} (derived, not listed) can be set through the
 * chart and reaches the application as set, read back by SmallRye Config from what the chart renders (the
 * ConfigMap's environment and the properties file of the map-typed properties).
 */
class HelmConfigTest {

    /** A map entry key with what environment variable names lose: case and '_'. */
    static final String MAP_KEY = "sampleKey_1";

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    @Test
    void everyFerryProperty_reachesTheApplicationAsSet_whenSetThroughTheChart() throws IOException {
        ObjectNode values = HelmChart.YAML.createObjectNode();
        Map<String, String> expected = new LinkedHashMap<>();
        JsonNode schema = HelmChart.schema();
        for (Property property : settable()) {
            String valuesKey = valuesPath(property);
            Object sample = sample(property, schemaOf(schema, valuesKey, property.map()));
            if (property.map()) {
                put(values, valuesKey + "." + MAP_KEY, sample);
                expected.put(property.name() + "." + MAP_KEY, rendered(sample));
            } else {
                put(values, valuesKey, sample);
                expected.put(property.name(), rendered(sample));
            }
        }
        put(values, "persistentVolume.accessModes", List.of("ReadWriteMany")); // what shards > 1 need
        List<HasMetadata> resources = render(values(tmp, HelmChart.YAML.writeValueAsString(values)));

        SmallRyeConfig config = HelmChart.asTheApplicationReadsIt(resources);

        for (Map.Entry<String, String> property : expected.entrySet()) {
            assertThat(config.getRawValue(property.getKey())).as(property.getKey()).isEqualTo(property.getValue());
        }
        FerryConfig mapped = config.getConfigMapping(FerryConfig.class);
        for (Property map : settable().stream().filter(Property::map).toList()) {
            // the key as set, and no other spelling of it (environment variable names lose case and '_')
            List<String> spellings = ((Map<?, ?>) map.read(mapped)).keySet().stream().map(String::valueOf)
                    .filter(key -> key.replaceAll("[._-]", "").equalsIgnoreCase(MAP_KEY.replace("_", ""))).toList();
            assertThat(spellings).as(map.name()).containsExactly(MAP_KEY);
        }
    }

    @Test
    void enumProperties_offerInTheSchemaEveryValueTheApplicationKnows_andOnlySuch() throws IOException {
        JsonNode schema = HelmChart.schema();
        SmallRyeConfig converters = new SmallRyeConfigBuilder().build();
        List<Property> enums = settable().stream().filter(p -> FerryProperties.raw(p.valueType()).isEnum()).toList();
        assertThat(enums).extracting(Property::name).contains("ferry.target.auth", "ferry.target.oauth2.client-auth");
        for (Property property : enums) {
            Class<?> type = FerryProperties.raw(property.valueType());
            List<String> offered = new ArrayList<>();
            schemaOf(schema, valuesPath(property), property.map()).path("enum").forEach(value -> offered.add(value.asText()));
            offered.remove("");

            List<Object> reached = offered.stream().<Object>map(value -> converters.convert(value, type)).toList();

            assertThat(reached).as("%s: %s", property.name(), offered)
                    .containsExactlyInAnyOrder(type.getEnumConstants());
        }
    }

    @Test
    void secretProperties_cannotBeSetInValues_soTheyNeverReachTheConfigMap() {
        List<Property> secrets = FerryProperties.all().stream().filter(Property::secret).toList();
        assertThat(secrets).extracting(Property::name).contains("ferry.target.bearer-token");
        for (Property secret : secrets) {
            Path file = values(tmp, "config: {" + String.join(": {", secret.path()) + ": s3cr3t"
                    + "}".repeat(secret.path().size()) + "\n");
            assertThatThrownBy(() -> render(file)).as(secret.name())
                    .hasMessageContaining("values don't meet the specifications of the schema");
        }
    }

    @Test
    void valuesFile_documentsEveryProperty() throws IOException {
        String valuesYaml = Files.readString(HelmChart.CHART.resolve("values.yaml"));
        for (Property property : FerryProperties.all()) {
            assertThat(valuesYaml).as("values.yaml names %s", property.name())
                    .contains(property.map() ? property.name() + ".<" : property.name());
        }
    }

    @Test
    void configMap_rendersOnlyDataDirMaxDurationInstanceAndWorkLeftCode_withDefaultValues() {
        assertThat(configData(render())).containsOnly(
                entry("FERRY_DATA_DIR", "/data"),
                entry("FERRY_RUN_MAX_DURATION", "50m"),
                entry("FERRY_RUN_WORK_LEFT_EXIT_CODE", "0"),
                entry("FERRY_METRICS_GROUPING_INSTANCE", "nightly-ferry"));
    }

    @Test
    void workLeftExitCode_isTheApplicationsOwn_inDeploymentMode_andAsSetWhenSet() {
        assertThat(configData(render(values(tmp, "mode: deployment\n")))).doesNotContainKey("FERRY_RUN_WORK_LEFT_EXIT_CODE");
        assertThat(configData(render(values(tmp, "config: {run: {maxDuration: 50m, workLeftExitCode: 75}}\n"))))
                .containsEntry("FERRY_RUN_WORK_LEFT_EXIT_CODE", "75");
    }

    @Test
    void configMap_writesNumbersAndFalsePlainly_whenLargeZeroNegativeOrFalse() {
        Map<String, String> data = configData(render(values(tmp, """
                config:
                  record: {maxBytes: 10485760}
                  retry: {budget: -1, maxRetries: 0}
                  log: {audit: false}
                """)));
        assertThat(data)
                .containsEntry("FERRY_RECORD_MAX_BYTES", "10485760")
                .containsEntry("FERRY_RETRY_BUDGET", "-1")
                .containsEntry("FERRY_RETRY_MAX_RETRIES", "0")
                .containsEntry("FERRY_LOG_AUDIT", "false");
    }

    @Test
    void mapEntries_goToAPropertiesFile_readThroughQuarkusConfigLocations() {
        List<HasMetadata> resources = render(values(tmp, "metrics: {grouping: {shard_id: eu-1, Region: west}}\n"));

        assertThat(configMap(resources, FULLNAME + "-properties").getData().get("ferry.properties"))
                .contains("ferry.metrics.grouping.shard_id=eu-1", "ferry.metrics.grouping.Region=west");
        assertThat(configData(resources)).containsEntry("QUARKUS_CONFIG_LOCATIONS", "/etc/ferry/config/ferry.properties");
        Container ferry = ferryContainer(cronJobPod(resources));
        assertThat(ferry.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/etc/ferry/config");
            assertThat(mount.getReadOnly()).isTrue();
        });
        assertThat(HelmChart.volume(cronJobPod(resources), "properties").getConfigMap().getName())
                .isEqualTo(FULLNAME + "-properties");
    }

    @Test
    void noPropertiesFile_withDefaultValues() {
        List<HasMetadata> resources = render();
        assertThat(configData(resources)).doesNotContainKey("QUARKUS_CONFIG_LOCATIONS");
        assertThat(HelmChart.all(resources, io.fabric8.kubernetes.api.model.ConfigMap.class)).hasSize(1);
        assertThat(cronJobPod(resources).getVolumes()).noneMatch(v -> v.getName().equals("properties"));
    }

    @Test
    void namespace_isAGroupingLabelFromTheDownwardApi_unlessTurnedOff() {
        EnvVar namespace = env(ferryContainer(cronJobPod(render())), "FERRY_METRICS_GROUPING_NAMESPACE");
        assertThat(namespace.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");

        assertThat(ferryContainer(cronJobPod(render(values(tmp, "metrics: {namespaceLabel: false}\n")))).getEnv())
                .noneMatch(e -> e.getName().equals("FERRY_METRICS_GROUPING_NAMESPACE"));
    }

    @Test
    void logging_setsQuarkusLogProperties_whenSet() {
        Map<String, String> data = configData(render(values(tmp, """
                logging: {json: true, level: DEBUG, categories: {dev.ferry.audit: INFO, io.quarkus: WARN}}
                config: {log: {audit: true, redactFields: [email, ssn], progressInterval: 1m}}
                """)));
        assertThat(data)
                .containsEntry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
                .containsEntry("QUARKUS_LOG_CATEGORY__DEV_FERRY_AUDIT__LEVEL", "INFO")
                .containsEntry("QUARKUS_LOG_CATEGORY__IO_QUARKUS__LEVEL", "WARN")
                .containsEntry("FERRY_LOG_AUDIT", "true")
                .containsEntry("FERRY_LOG_REDACT_FIELDS", "email,ssn")
                .containsEntry("FERRY_LOG_PROGRESS_INTERVAL", "1m");
    }

    @Test
    void extraEnvAndEnvFrom_areAppended_whenSet() {
        Container ferry = ferryContainer(cronJobPod(render(values(tmp, """
                extraEnv: [{name: JAVA_OPTS_APPEND, value: -XX:MaxRAMPercentage=75}]
                extraEnvFrom: [{secretRef: {name: ferry-oauth}}]
                """))));
        assertThat(env(ferry, "JAVA_OPTS_APPEND").getValue()).isEqualTo("-XX:MaxRAMPercentage=75");
        assertThat(ferry.getEnvFrom())
                .extracting(source -> source.getConfigMapRef() == null ? null : source.getConfigMapRef().getName(),
                        source -> source.getSecretRef() == null ? null : source.getSecretRef().getName())
                .containsExactly(tuple(FULLNAME, null), tuple(null, "ferry-oauth"));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The properties a chart value sets: all but the secrets ({@code auth} mounts those as files) and the shard index,
     * which Kubernetes gives each pod of an Indexed Job ({@code HelmShardsTest}).
     */
    private static List<Property> settable() {
        return FerryProperties.all().stream().filter(p -> !p.secret() && !p.name().equals("ferry.shard.index"))
                .toList();
    }

    /**
     * Where a property goes in values: the data dir is the mount path, the shard count is {@code shards}, the
     * Pushgateway's are under `metrics`.
     */
    private static String valuesPath(Property property) {
        if (property.name().equals("ferry.data-dir")) {
            return "persistentVolume.mountPath";
        }
        if (property.name().equals("ferry.shard.count")) {
            return "shards";
        }
        List<String> path = property.path();
        return path.get(0).equals("metrics") ? String.join(".", path) : "config." + String.join(".", path);
    }

    /** The schema of a values key (dotted path), or of the entries of a map-typed one. */
    private static JsonNode schemaOf(JsonNode schema, String valuesKey, boolean map) {
        JsonNode node = schema;
        for (String key : valuesKey.split("\\.")) {
            node = node.path("properties").path(key);
        }
        assertThat(node.isMissingNode()).as("values.schema.json has %s", valuesKey).isFalse();
        return map ? node.path("additionalProperties") : node;
    }

    /**
     * A value the values schema accepts for a property: the first non-empty one it lists (its {@code enum}, or
     * its {@code examples} where a pattern restricts the text), else one of the property's type.
     */
    private static Object sample(Property property, JsonNode schema) {
        for (String keyword : List.of("enum", "examples")) {
            for (JsonNode value : schema.path(keyword)) {
                if (!value.asText().isEmpty()) {
                    return value.asText();
                }
            }
        }
        return sample(property.valueType());
    }

    /** A value of the type that the values schema accepts wherever such a property appears. */
    private static Object sample(Type type) {
        Class<?> raw = FerryProperties.raw(type);
        if (raw == Duration.class) {
            return "7s";
        }
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return 7;
        }
        if (raw == double.class || raw == Double.class) {
            return 0.25;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return true;
        }
        if (raw == URI.class) {
            return "https://api.example.test";
        }
        if (raw == Path.class) {
            return "/srv/sample";
        }
        if (raw == String.class) {
            return "/sample/{key}"; // also a path, for the properties whose schema wants one
        }
        if (List.class.isAssignableFrom(raw)) {
            Class<?> item = FerryProperties.raw(FerryProperties.argument(type, 0));
            return item == Integer.class ? List.of(409, 429) : List.of("alpha", "beta");
        }
        throw new AssertionError("no sample value for " + type + ": teach HelmConfigTest.sample this type");
    }

    private static String rendered(Object sample) {
        return sample instanceof List<?> items ? String.join(",", items.stream().map(String::valueOf).toList())
                : String.valueOf(sample);
    }

    private static void put(ObjectNode values, String dottedPath, Object value) {
        String[] keys = dottedPath.split("\\.", -1);
        ObjectNode node = values;
        for (int i = 0; i < keys.length - 1; i++) {
            node = node.has(keys[i]) ? (ObjectNode) node.get(keys[i]) : node.putObject(keys[i]);
        }
        node.set(keys[keys.length - 1], HelmChart.YAML.valueToTree(value));
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }
}
