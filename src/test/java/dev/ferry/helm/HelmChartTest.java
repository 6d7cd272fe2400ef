package dev.ferry.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

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
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart in {@code helm/ferry}: linted with {@code helm lint --strict}, rendered with
 * {@code helm template} (both through helm-java, the Helm Go library on Maven Central), and every
 * rendered document read into its typed fabric8 model, failing on unknown fields and wrong types.
 * Plain JUnit: no Quarkus application is started.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "ferry");
    private static final String RELEASE = "nightly";
    private static final String FULLNAME = "nightly-ferry";
    private static final String NAMESPACE = "batch";
    /**
     * helm-java's {@code template} assumes Kubernetes v1.20.0 unless told otherwise, below the chart's
     * {@code kubeVersion: >=1.27.0-0} (a real install uses the cluster's version).
     */
    private static final String KUBE_VERSION = "1.31.0";

    private static final YAMLMapper YAML = new YAMLMapper();
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

    @TempDir(factory = UnderTarget.class)
    Path tmp;

    /** Scratch values files and chart copies stay inside the build directory. */
    static final class UnderTarget implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target", "helm-chart-test")), "run-");
        }
    }

    // ---------------------------------------------------------------- lint

    @Test
    void lint_passesStrict_withDefaultValues() {
        assertLintClean(new Helm(CHART).lint().strict().call());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciValuesFiles")
    void lint_passesStrict_withCiValues(Path valuesFile) throws IOException {
        // helm-java's lint takes no values file: lint a copy of the chart whose values.yaml holds
        // the defaults merged with the scenario, as `helm lint -f` would.
        assertLintClean(new Helm(chartCopyWithValues(valuesFile)).lint().strict().call());
    }

    @Test
    void lint_fails_whenValuesBreakTheSchema() throws IOException {
        Path values = write("mode: banana\n");
        LintResult result = new Helm(chartCopyWithValues(values)).lint().strict().call();
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("mode");
    }

    // ------------------------------------------------- rendered documents are valid Kubernetes

    @Test
    void template_rendersOnlyKnownFieldsAndTypes_withDefaultValues() {
        List<HasMetadata> resources = render();
        assertThat(kinds(resources)).containsExactlyInAnyOrder("ConfigMap", "PersistentVolumeClaim", "CronJob");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciValuesFiles")
    void template_rendersOnlyKnownFieldsAndTypes_withCiValues(Path valuesFile) {
        List<HasMetadata> resources = render(valuesFile);
        assertThat(resources).isNotEmpty();
        for (HasMetadata resource : resources) {
            assertThat(resource.getMetadata().getLabels())
                    .as("labels of %s", resource.getKind())
                    .containsEntry("app.kubernetes.io/name", "ferry")
                    .containsEntry("app.kubernetes.io/instance", RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsKey("helm.sh/chart");
        }
    }

    @Test
    void parse_reportsUnknownFieldWithPath_whenManifestHasATypo() {
        String manifest = """
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: x}
                spec:
                  schedule: "0 * * * *"
                  jobTemplate:
                    spec:
                      activeDeadlineSecond: 10
                      template:
                        spec:
                          containers: [{name: ferry, image: ferry, securityContext: {readOnlyRootFileSystem: true}}]
                """;
        assertThatThrownBy(() -> parse(manifest))
                .hasMessageContaining("CronJob.spec.jobTemplate.spec: [activeDeadlineSecond]")
                .hasMessageContaining("CronJob.spec.jobTemplate.spec.template.spec.containers[0].securityContext: [readOnlyRootFileSystem]");
    }

    @Test
    void parse_fails_whenFieldHasWrongType() {
        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: x}
                data: {FERRY_RETRY_MAX_RETRIES: 3}
                """;
        assertThatThrownBy(() -> parse(manifest)).hasMessageContaining("Cannot coerce Integer");
    }

    @Test
    void fullname_isCutTo63Characters_whenOverrideIsLonger() {
        String longName = "ferry-" + "x".repeat(70);
        List<HasMetadata> resources = render(write("fullnameOverride: " + longName + "\n"));
        assertThat(one(resources, CronJob.class).getMetadata().getName())
                .isEqualTo(longName.substring(0, 63))
                .hasSize(63);
    }

    // ---------------------------------------------------------------- pod security

    @Test
    void podSecurity_isLockedDown_withDefaultValues() {
        assertLockedDown(cronJobPod(render()), "/data");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciValuesFiles")
    void podSecurity_isLockedDown_withCiValues(Path valuesFile) throws IOException {
        List<HasMetadata> resources = render(valuesFile);
        String mountPath = YAML.readTree(valuesFile.toFile()).at("/persistentVolume/mountPath").asText("/data");
        PodSpec pod = resources.stream().anyMatch(CronJob.class::isInstance)
                ? cronJobPod(resources)
                : one(resources, Deployment.class).getSpec().getTemplate().getSpec();
        assertLockedDown(pod, mountPath);
    }

    @Test
    void podSpec_isSharedByBothModes_apartFromCommandAndHttp() {
        PodSpec cron = cronJobPod(render(write("auth: {bearerToken: t}\n")));
        PodSpec serve = one(render(write("mode: deployment\nauth: {bearerToken: t}\n")), Deployment.class)
                .getSpec().getTemplate().getSpec();

        Container serveContainer = serve.getContainers().get(0);
        assertThat(serveContainer.getArgs()).containsExactly("serve");
        assertThat(cron.getContainers().get(0).getArgs()).containsExactly("run");
        assertThat(cron.getRestartPolicy()).isEqualTo("Never");

        // strip what only one mode has; the rest comes from the one ferry.podSpec helper
        cron.setRestartPolicy(null);
        cron.getContainers().get(0).setArgs(List.of());
        serveContainer.setArgs(List.of());
        serveContainer.setPorts(List.of());
        serveContainer.setLivenessProbe(null);
        serveContainer.setReadinessProbe(null);
        serveContainer.getEnv().removeIf(e -> e.getName().equals("QUARKUS_HTTP_HOST_ENABLED"));
        assertThat(serve).isEqualTo(cron);
    }

    // ---------------------------------------------------------------- CronJob and deadlines

    @Test
    void cronJob_forbidsOverlapAndOutlastsMaxDuration_withDefaultValues() {
        List<HasMetadata> resources = render();
        CronJob cronJob = one(resources, CronJob.class);
        assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 * * * *");
        assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Etc/UTC");
        assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).isEqualTo(300L);
        assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(3);
        assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).isEqualTo(3);

        JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
        assertThat(job.getBackoffLimit()).isEqualTo(1);
        long maxDurationSeconds = 50 * 60;
        assertThat(configData(resources)).containsEntry("FERRY_RUN_MAX_DURATION", "50m");
        assertThat(job.getActiveDeadlineSeconds()).isGreaterThan(maxDurationSeconds).isEqualTo(maxDurationSeconds + 300);
        assertThat(job.getPodFailurePolicy().getRules().get(0).getAction()).isEqualTo("FailJob");
        assertThat(job.getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues())
                .containsExactlyInAnyOrder(3, 75, 77, 78);

        PodSpec pod = job.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getContainers().get(0).getArgs()).containsExactly("run");
        assertThat(pod.getTerminationGracePeriodSeconds()).as("request timeout 10s + 20s").isEqualTo(30L);
    }

    @ParameterizedTest(name = "maxDuration {0} = {1}s")
    @CsvSource({"90s, 90", "45m, 2700", "2h, 7200", "1d, 86400", "1500ms, 2", "600, 600"})
    void cronJob_deadlineExceedsMaxDuration_withCustomMaxDuration(String maxDuration, long seconds) {
        List<HasMetadata> resources = render(write("config: {run: {maxDuration: \"" + maxDuration + "\"}}\n"));
        JobSpec job = one(resources, CronJob.class).getSpec().getJobTemplate().getSpec();
        assertThat(job.getActiveDeadlineSeconds()).isGreaterThan(seconds).isEqualTo(seconds + 300);
        assertThat(configData(resources)).containsEntry("FERRY_RUN_MAX_DURATION", maxDuration);
    }

    @Test
    void cronJob_deadlineAddsConfiguredMargin_whenMarginChanged() {
        List<HasMetadata> resources = render(write("""
                config: {run: {maxDuration: 20m}}
                cronjob: {deadlineMarginSeconds: 120}
                """));
        assertThat(one(resources, CronJob.class).getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds())
                .isEqualTo(20 * 60 + 120);
    }

    @Test
    void terminationGrace_exceedsRequestTimeout_whenTimeoutSet() {
        PodSpec pod = cronJobPod(render(write("config: {request: {timeout: 45s}}\n")));
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(45L).isEqualTo(65L);
    }

    @Test
    void template_fails_whenMaxDurationIsNotADuration() {
        Path values = write("config: {run: {maxDuration: fifty minutes}}\n");
        assertThatThrownBy(() -> render(values)).hasMessageContaining("maxDuration");
    }

    // ---------------------------------------------------------------- bearer token

    @Test
    void bearerToken_comesFromChartSecret_whenSetInValues() {
        String token = "s3cr3t-token-value";
        String rendered = template(write("auth: {bearerToken: " + token + "}\n"));
        List<HasMetadata> resources = parseAll(rendered);

        Secret secret = one(resources, Secret.class);
        assertThat(secret.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(decode(secret.getData().get("bearer-token"))).isEqualTo(token);

        assertThat(tokenEnv(cronJobPod(resources)).getValueFrom().getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo(FULLNAME);
                    assertThat(ref.getKey()).isEqualTo("bearer-token");
                });
        assertTokenNowhereButInSecret(rendered, resources, token);
    }

    @Test
    void bearerToken_comesFromExistingSecret_whenExistingSecretSet() {
        String rendered = template(CHART.resolve("ci/existing-secret-values.yaml"));
        List<HasMetadata> resources = parseAll(rendered);

        assertThat(all(resources, Secret.class)).as("no chart-created Secret").isEmpty();
        EnvVar env = tokenEnv(cronJobPod(resources));
        assertThat(env.getValue()).isNull();
        assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("records-api-token");
        assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-token");
        assertThat(configData(resources).keySet()).noneMatch(key -> key.contains("TOKEN"));
    }

    @Test
    void bearerToken_existingSecretWins_whenBothSet() {
        String token = "inline-token-ignored";
        String rendered = template(write("auth: {bearerToken: " + token + ", existingSecret: vault-synced}\n"));
        List<HasMetadata> resources = parseAll(rendered);
        assertThat(all(resources, Secret.class)).isEmpty();
        assertThat(tokenEnv(cronJobPod(resources)).getValueFrom().getSecretKeyRef().getName()).isEqualTo("vault-synced");
        assertThat(rendered).doesNotContain(token);
    }

    @Test
    void bearerToken_isNotInTheEnvironment_whenNoTokenConfigured() {
        List<EnvVar> env = cronJobPod(render()).getContainers().get(0).getEnv();
        assertThat(env).noneMatch(e -> e.getName().equals("FERRY_TARGET_BEARER_TOKEN"));
    }

    // ---------------------------------------------------------------- ferry.* properties -> env

    @Test
    void configMap_mapsEveryFerryProperty_whenAllSetInValues() {
        List<HasMetadata> resources = render(write("""
                config:
                  inbox: {settle: 7s}
                  done: {retention: 3d}
                  record: {keyField: sku, maxBytes: 2097152}
                  target: {url: "https://api.example.test", path: "/v1/items/{key}", method: PATCH}
                  request: {timeout: 12s}
                  retry:
                    onStatus: [409, 429, 503]
                    maxRetries: 4
                    initialDelay: 250ms
                    maxDelay: 45s
                    jitter: 100ms
                    budget: 0.25
                  breaker: {failureThreshold: 6, delay: 90s}
                  delivery: {concurrency: 12, rateLimit: 7.5}
                  run: {maxDuration: 40m}
                  verify: {rate: 20, path: "/v1/items/{key}", fields: [sku, price], schedule: "0 0 3 * * ?"}
                  schedule: "0 */5 * * * ?"
                metrics: {pushgatewayUrl: "http://pushgateway.monitoring:9091", pushInterval: 20s, instance: eu-1}
                persistentVolume: {mountPath: /srv/ferry}
                auth: {bearerToken: not-in-the-configmap}
                """));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("FERRY_DATA_DIR", "/srv/ferry");
        expected.put("FERRY_INBOX_SETTLE", "7s");
        expected.put("FERRY_DONE_RETENTION", "3d");
        expected.put("FERRY_RECORD_KEY_FIELD", "sku");
        expected.put("FERRY_RECORD_MAX_BYTES", "2097152");
        expected.put("FERRY_TARGET_URL", "https://api.example.test");
        expected.put("FERRY_TARGET_PATH", "/v1/items/{key}");
        expected.put("FERRY_TARGET_METHOD", "PATCH");
        expected.put("FERRY_REQUEST_TIMEOUT", "12s");
        expected.put("FERRY_RETRY_ON_STATUS", "409,429,503");
        expected.put("FERRY_RETRY_MAX_RETRIES", "4");
        expected.put("FERRY_RETRY_INITIAL_DELAY", "250ms");
        expected.put("FERRY_RETRY_MAX_DELAY", "45s");
        expected.put("FERRY_RETRY_JITTER", "100ms");
        expected.put("FERRY_RETRY_BUDGET", "0.25");
        expected.put("FERRY_BREAKER_FAILURE_THRESHOLD", "6");
        expected.put("FERRY_BREAKER_DELAY", "90s");
        expected.put("FERRY_DELIVERY_CONCURRENCY", "12");
        expected.put("FERRY_DELIVERY_RATE_LIMIT", "7.5");
        expected.put("FERRY_RUN_MAX_DURATION", "40m");
        expected.put("FERRY_METRICS_PUSHGATEWAY_URL", "http://pushgateway.monitoring:9091");
        expected.put("FERRY_METRICS_PUSH_INTERVAL", "20s");
        expected.put("FERRY_METRICS_GROUPING_INSTANCE", "eu-1");
        expected.put("FERRY_VERIFY_RATE", "20");
        expected.put("FERRY_VERIFY_PATH", "/v1/items/{key}");
        expected.put("FERRY_VERIFY_FIELDS", "sku,price");
        expected.put("FERRY_VERIFY_SCHEDULE", "0 0 3 * * ?");
        expected.put("FERRY_SCHEDULE", "0 */5 * * * ?");

        assertThat(configData(resources)).containsExactlyInAnyOrderEntriesOf(expected);

        Container ferry = cronJobPod(resources).getContainers().get(0);
        assertThat(ferry.getEnvFrom()).singleElement()
                .satisfies(source -> assertThat(source.getConfigMapRef().getName()).isEqualTo(FULLNAME));
        assertThat(ferry.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/srv/ferry"));
    }

    @Test
    void configMap_rendersOnlyDataDirMaxDurationAndAStableInstance_withDefaultValues() {
        assertThat(configData(render())).containsOnly(
                entry("FERRY_DATA_DIR", "/data"),
                entry("FERRY_RUN_MAX_DURATION", "50m"),
                entry("FERRY_METRICS_GROUPING_INSTANCE", "nightly-ferry"));
    }

    @Test
    void configMap_writesNumbersPlainly_whenLargeZeroOrNegative() {
        Map<String, String> data = configData(render(write("""
                config:
                  record: {maxBytes: 10485760}
                  retry: {budget: -1, maxRetries: 0}
                """)));
        assertThat(data)
                .containsEntry("FERRY_RECORD_MAX_BYTES", "10485760")
                .containsEntry("FERRY_RETRY_BUDGET", "-1")
                .containsEntry("FERRY_RETRY_MAX_RETRIES", "0");
    }

    @Test
    void extraEnv_isAppended_whenSet() {
        List<EnvVar> env = cronJobPod(render(write("extraEnv: [{name: QUARKUS_LOG_LEVEL, value: DEBUG}]\n")))
                .getContainers().get(0).getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("QUARKUS_LOG_LEVEL");
            assertThat(e.getValue()).isEqualTo("DEBUG");
        });
    }

    // ---------------------------------------------------------------- deployment mode

    @Test
    void deploymentMode_rendersDeploymentAndServiceWithProbes() {
        List<HasMetadata> resources = render(write("mode: deployment\n"));
        assertThat(all(resources, CronJob.class)).isEmpty();

        Deployment deployment = one(resources, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");

        Container ferry = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(ferry.getArgs()).containsExactly("serve");
        assertThat(ferry.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("QUARKUS_HTTP_HOST_ENABLED");
            assertThat(e.getValue()).isEqualTo("true");
        });
        assertThat(ferry.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
        });
        assertThat(ferry.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(ferry.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(ferry.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");

        Service service = one(resources, Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void serviceMonitor_scrapesQMetrics_whenEnabledInDeploymentMode() {
        ServiceMonitor monitor = one(render(CHART.resolve("ci/deployment-values.yaml")), ServiceMonitor.class);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPort()).isEqualTo("http");
            assertThat(endpoint.getPath()).isEqualTo("/q/metrics");
            assertThat(endpoint.getInterval()).isEqualTo("30s");
        });
    }

    @Test
    void serviceMonitor_isNotRendered_inCronJobMode() {
        assertThat(all(render(write("serviceMonitor: {enabled: true}\n")), ServiceMonitor.class)).isEmpty();
    }

    // ---------------------------------------------------------------- data volume

    @Test
    void persistentVolume_createsKeptClaim_withDefaultValues() {
        List<HasMetadata> resources = render();
        PersistentVolumeClaim claim = one(resources, PersistentVolumeClaim.class);
        assertThat(claim.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
        assertThat(dataVolume(cronJobPod(resources)).getPersistentVolumeClaim().getClaimName()).isEqualTo(FULLNAME);
    }

    @Test
    void persistentVolume_mountsExistingClaim_whenExistingClaimSet() {
        List<HasMetadata> resources = render(write("persistentVolume: {existingClaim: shared-inbox}\n"));
        assertThat(all(resources, PersistentVolumeClaim.class)).isEmpty();
        assertThat(dataVolume(cronJobPod(resources)).getPersistentVolumeClaim().getClaimName()).isEqualTo("shared-inbox");
    }

    @Test
    void persistentVolume_fallsBackToEmptyDirWithWarning_whenDisabled() {
        Path values = write("persistentVolume: {enabled: false}\n");
        List<HasMetadata> resources = render(values);
        assertThat(all(resources, PersistentVolumeClaim.class)).isEmpty();
        assertThat(dataVolume(cronJobPod(resources)).getEmptyDir()).isNotNull();
        assertThat(notes(values)).contains("WARNING: persistentVolume.enabled is false");
    }

    // ---------------------------------------------------------------- NOTES.txt

    @Test
    void notes_explainManualRunRecordsAndExitCodes_withDefaultValues() {
        String notes = notes(null);
        assertThat(notes)
                .contains("kubectl -n " + NAMESPACE + " create job --from=cronjob/" + FULLNAME + " " + FULLNAME + "-manual-$(date +%s)")
                .contains("/data/failed/", "/data/rejected/")
                .contains("\"claimName\":\"" + FULLNAME + "\"")
                .contains("activeDeadlineSeconds = 3300s")
                .doesNotContain("WARNING: persistentVolume.enabled is false");
        for (String code : List.of("0", "75", "77", "78", "3", "1")) {
            assertThat(notes).containsPattern("(?m)^  " + code + " +\\S");
        }
    }

    // ---------------------------------------------------------------- observability

    @Test
    void prometheusRule_holdsTheRulesFileUnchanged_whenEnabled() throws IOException {
        PrometheusRule rule = one(render(write("prometheusRule: {enabled: true, additionalLabels: {release: kps}}\n")),
                PrometheusRule.class);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kps");

        JsonNode file = YAML.readTree(CHART.resolve("files/ferry-rules.yaml").toFile());
        List<String> fileExpressions = new ArrayList<>();
        file.at("/groups/0/rules").forEach(r -> fileExpressions.add(r.get("expr").asText()));

        List<Rule> rules = rule.getSpec().getGroups().get(0).getRules();
        assertThat(rules).extracting(Rule::getAlert).containsExactly(
                "FerryNoSuccessfulRun", "FerryBreakerOpened", "FerryFailedBacklogGrowing", "FerryRejectedRecords",
                "FerryFilesQuarantined");
        assertThat(rules).extracting(r -> r.getExpr().getStrVal()).containsExactlyElementsOf(fileExpressions);
        assertThat(rules.get(0).getAnnotations().get("summary")).contains("{{ $labels.instance }}");
    }

    @Test
    void grafanaDashboard_isLabelledForTheSidecar_whenEnabled() throws IOException {
        List<HasMetadata> resources = render(write("""
                grafanaDashboard: {enabled: true, labelKey: dashboards, labelValue: ferry}
                """));
        ConfigMap dashboard = all(resources, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(FULLNAME + "-dashboard"))
                .findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("dashboards", "ferry");
        String json = dashboard.getData().get("ferry-dashboard.json");
        assertThat(new ObjectMapper().readTree(json))
                .isEqualTo(new ObjectMapper().readTree(CHART.resolve("files/ferry-dashboard.json").toFile()));
    }

    @Test
    void observability_isNotRendered_withDefaultValues() {
        List<HasMetadata> resources = render();
        assertThat(all(resources, PrometheusRule.class)).isEmpty();
        assertThat(all(resources, ConfigMap.class)).hasSize(1);
    }

    // ---------------------------------------------------------------- schema

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("mode: banana\n", "mode"),
                Arguments.of("config: {delivery: {concurrency: 0}}\n", "concurrency"),
                Arguments.of("config: {delivery: {concurrency: 2.5}}\n", "concurrency"),
                Arguments.of("config: {retry: {maxRetries: three}}\n", "maxRetries"),
                Arguments.of("config: {retry: {initialDelay: soon}}\n", "initialDelay"),
                Arguments.of("config: {retry: {budget: -0.5}}\n", "budget"),
                Arguments.of("config: {retry: {onStatus: [42]}}\n", "onStatus"),
                Arguments.of("config: {retry: {maxRetry: 3}}\n", "maxRetry"),
                Arguments.of("config: {run: {maxDuration: \"\"}}\n", "maxDuration"),
                Arguments.of("config: {target: {method: GET}}\n", "method"),
                Arguments.of("config: {target: {url: records.example.com}}\n", "url"),
                Arguments.of("cronjob: {schedule: 5}\n", "schedule"),
                Arguments.of("cronjob: {schedule: every hour}\n", "schedule"),
                Arguments.of("persistentVolume: {mountPath: data}\n", "mountPath"),
                Arguments.of("metrics: {pushInterval: 15}\n", "pushInterval"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValues_failTheSchema_atTemplateTime(String values, String property) {
        Path file = write(values);
        assertThatThrownBy(() -> render(file))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(property);
    }

    // ================================================================ helpers

    static Stream<Path> ciValuesFiles() throws IOException {
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            List<Path> list = files.filter(f -> f.toString().endsWith("-values.yaml")).sorted().toList();
            assertThat(list).extracting(f -> f.getFileName().toString())
                    .contains("dev-values.yaml", "prod-values.yaml");
            return list.stream();
        }
    }

    private Path write(String yaml) {
        try {
            Path file = Files.createTempFile(tmp, "values-", ".yaml");
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String template(Path valuesFile) {
        TemplateCommand command = new Helm(CHART).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        if (valuesFile != null) {
            command = command.withValuesFile(valuesFile);
        }
        return command.call();
    }

    private static List<HasMetadata> render() {
        return parseAll(template(null));
    }

    private static List<HasMetadata> render(Path valuesFile) {
        return parseAll(template(valuesFile));
    }

    private static String notes(Path valuesFile) {
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

    /** Every document of a rendered chart as its typed fabric8 model; see {@link #parse}. */
    private static List<HasMetadata> parseAll(String rendered) {
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
    private static HasMetadata parse(String document) {
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
                if (!additional && !field.isAnnotationPresent(com.fasterxml.jackson.annotation.JsonProperty.class)) {
                    continue;
                }
                Object value = read(field, node);
                if (additional) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    String name = field.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class).value();
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

    private Path chartCopyWithValues(Path valuesFile) throws IOException {
        Path copy = tmp.resolve("chart-" + valuesFile.getFileName().toString().replace(".yaml", "")).resolve("ferry");
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

    private static void assertLintClean(LintResult result) {
        String messages = String.join("\n", result.getMessages());
        assertThat(result.isFailed()).as("helm lint --strict:\n%s", messages).isFalse();
        assertThat(result.getMessages()).as("helm lint --strict").noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    private static void assertLockedDown(PodSpec pod, String dataMountPath) {
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();

        PodSecurityContext podContext = pod.getSecurityContext();
        assertThat(podContext.getRunAsNonRoot()).isTrue();
        assertThat(podContext.getRunAsUser()).isEqualTo(1001L);
        assertThat(podContext.getRunAsGroup()).isEqualTo(1001L);
        assertThat(podContext.getFsGroup()).isEqualTo(1001L);
        assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Container ferry = pod.getContainers().stream().filter(c -> c.getName().equals("ferry")).findFirst().orElseThrow();
        SecurityContext context = ferry.getSecurityContext();
        assertThat(context.getRunAsNonRoot()).isTrue();
        assertThat(context.getReadOnlyRootFilesystem()).isTrue();
        assertThat(context.getAllowPrivilegeEscalation()).isFalse();
        assertThat(context.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(context.getCapabilities().getAdd()).isEmpty();
        assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        VolumeMount tmpMount = ferry.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
        assertThat(volume(pod, tmpMount.getName()).getEmptyDir()).as("/tmp volume").isNotNull();
        assertThat(ferry.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("data");
            assertThat(m.getMountPath()).isEqualTo(dataMountPath);
        });
        assertThat(ferry.getResources().getLimits()).containsKey("memory");
        assertThat(ferry.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    private static void assertTokenNowhereButInSecret(String rendered, List<HasMetadata> resources, String token) {
        assertThat(configData(resources).keySet()).noneMatch(key -> key.contains("TOKEN"));
        assertThat(configData(resources).values()).noneMatch(value -> value.contains(token));
        assertThat(rendered).as("token in plain text anywhere").doesNotContain(token);
        assertThat(cronJobPod(resources).getContainers().get(0).getEnv())
                .noneMatch(e -> token.equals(e.getValue()));
    }

    private static EnvVar tokenEnv(PodSpec pod) {
        return pod.getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("FERRY_TARGET_BEARER_TOKEN"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no FERRY_TARGET_BEARER_TOKEN env var"));
    }

    private static Map<String, String> configData(List<HasMetadata> resources) {
        return all(resources, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(FULLNAME))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + FULLNAME))
                .getData();
    }

    private static PodSpec cronJobPod(List<HasMetadata> resources) {
        return one(resources, CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    private static Volume dataVolume(PodSpec pod) {
        return volume(pod, "data");
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    private static <T> List<T> all(List<HasMetadata> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T one(List<HasMetadata> resources, Class<T> type) {
        List<T> matches = all(resources, type);
        assertThat(matches).as("%s resources", type.getSimpleName()).hasSize(1);
        return matches.get(0);
    }

    private static List<String> kinds(List<HasMetadata> resources) {
        return resources.stream().map(HasMetadata::getKind).collect(Collectors.toList());
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
