package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.RELEASE;
import static dev.ferry.helm.HelmChart.assertLintClean;
import static dev.ferry.helm.HelmChart.kinds;
import static dev.ferry.helm.HelmChart.lint;
import static dev.ferry.helm.HelmChart.parse;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;

/**
 * The chart lints clean ({@code helm lint --strict}) and renders only valid Kubernetes: known fields, right types,
 * the standard labels, names cut to 63 characters. Plain JUnit: no Quarkus application is started.
 */
class HelmRenderingTest {

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    static Stream<Path> ciValuesFiles() throws IOException {
        return HelmChart.ciValuesFiles();
    }

    @Test
    void lint_passesStrict_withDefaultValues() throws IOException {
        assertLintClean(lint(null, tmp));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ciValuesFiles")
    void lint_passesStrict_withCiValues(Path valuesFile) throws IOException {
        // helm-java's lint takes no values file: lint a copy of the chart whose values.yaml holds
        // the defaults merged with the scenario, as `helm lint -f` would.
        assertLintClean(lint(valuesFile, tmp));
    }

    @Test
    void lint_fails_whenValuesBreakTheSchema() throws IOException {
        LintResult result = lint(values(tmp, "mode: banana\n"), tmp);
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("mode");
    }

    @Test
    void template_rendersOnlyKnownFieldsAndTypes_withDefaultValues() {
        assertThat(kinds(render())).containsExactlyInAnyOrder("ConfigMap", "PersistentVolumeClaim", "CronJob");
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
    void template_rendersEveryOptionalResource_whenAllAreOn() {
        List<HasMetadata> resources = render(values(tmp, """
                serviceAccount: {create: true}
                verify: {enabled: true}
                prometheusRule: {enabled: true}
                grafanaDashboard: {enabled: true}
                metrics: {grouping: {shard: eu}}
                auth: {mode: bearer, bearer: {token: t}}
                """));
        assertThat(kinds(resources)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "ConfigMap",
                "ConfigMap", "Secret", "PersistentVolumeClaim", "CronJob", "CronJob", "PrometheusRule");
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
        List<HasMetadata> resources = render(values(tmp, "fullnameOverride: " + longName + "\n"));
        assertThat(HelmChart.configMap(resources, longName.substring(0, 63)).getMetadata().getName()).hasSize(63);
    }

    @Test
    void cronJobNames_stayWithin52Characters_whenFullnameIsLong_andNotesNameThem() {
        // the API server refuses a longer CronJob name: the names of the Jobs it starts add 11 characters
        String longName = "ferry-" + "x".repeat(70);
        Path file = values(tmp, "fullnameOverride: " + longName + "\nverify: {enabled: true}\n");
        List<String> names = HelmChart.all(render(file), CronJob.class).stream().map(c -> c.getMetadata().getName())
                .toList();

        assertThat(names).hasSize(2).allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(52));
        String run = names.stream().filter(name -> !name.endsWith("-verify")).findFirst().orElseThrow();
        String verify = names.stream().filter(name -> name.endsWith("-verify")).findFirst().orElseThrow();
        assertThat(HelmChart.notes(file)).contains("--from=cronjob/" + run + " ")
                .contains("verify CronJob " + verify + ")");
    }

    @Test
    void everyName_staysWithin63Characters_whenFullnameIsLong() {
        String longName = "ferry-" + "x".repeat(70);
        List<HasMetadata> resources = render(values(tmp, "fullnameOverride: " + longName
                + "\nverify: {enabled: true}\nmetrics: {grouping: {shard: eu}}\nserviceAccount: {create: true}\n"));
        assertThat(resources).extracting(r -> r.getMetadata().getName()).allSatisfy(name -> assertThat(name.length())
                .isLessThanOrEqualTo(63));
    }
}
