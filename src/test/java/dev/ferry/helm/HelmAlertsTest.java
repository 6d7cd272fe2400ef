package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.CHART;
import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.YAML;
import static dev.ferry.helm.HelmChart.all;
import static dev.ferry.helm.HelmChart.configMap;
import static dev.ferry.helm.HelmChart.one;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;

/**
 * The PrometheusRule rendered from {@code alerts.*} (windows from the schedule, runbook links, each alert
 * switchable), the plain rules file that is its default rendering, and the Grafana dashboard.
 */
class HelmAlertsTest {

    static final Path RULES_FILE = CHART.resolve("files/ferry-rules.yaml");
    static final Path OPERATIONS = Path.of("observability", "OPERATIONS.md");
    static final List<String> ALERTS = List.of("FerryNotRunning", "FerryNoSuccessfulRun", "FerryWorkLeftTooLong",
            "FerryCredentialsRefused", "FerryMisconfigured", "FerryMisrouted", "FerryCrashing", "FerryBreakerOpened",
            "FerryFailedBacklogGrowing", "FerryRejectedRecords", "FerryFilesQuarantined", "FerryFailedRecordsOld");

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    @Test
    void rulesFile_isTheTemplateRenderedWithDefaultValues() throws IOException {
        String rendered = HelmChart.template(values(tmp, "prometheusRule: {enabled: true}\n"));
        String spec = rendered.substring(rendered.indexOf("kind: PrometheusRule"));
        JsonNode renderedGroups = YAML.readTree(spec.substring(spec.indexOf("\nspec:\n") + 7)
                .replaceAll("(?m)^  ", ""));
        JsonNode fileGroups = YAML.readTree(RULES_FILE.toFile());
        if (!renderedGroups.equals(fileGroups)) {
            Path current = Files.createDirectories(Path.of("target")).resolve("ferry-rules.rendered.yaml");
            YAML.writeValue(current.toFile(), renderedGroups);
            throw new AssertionError(RULES_FILE + " is not the chart's alerts with default values; the rendering is in "
                    + current + " (keep the file's header comment)");
        }
        assertThat(fileGroups.at("/groups/0/rules")).extracting(r -> r.get("alert").asText())
                .containsExactlyElementsOf(ALERTS);
    }

    @Test
    void everyAlert_linksToItsRunbookSection_inOperationsMd() throws IOException {
        Set<String> anchors = Files.readAllLines(OPERATIONS).stream().filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
        for (Rule rule : rules(render(values(tmp, "prometheusRule: {enabled: true}\n")))) {
            String url = rule.getAnnotations().get("runbook_url");
            assertThat(url).as(rule.getAlert())
                    .startsWith("https://github.com/ferry-sync/ferry/blob/main/observability/OPERATIONS.md#");
            assertThat(anchors).as("OPERATIONS.md has a section for %s", rule.getAlert())
                    .contains(url.substring(url.indexOf('#') + 1));
        }
    }

    @Test
    void alerts_canBeTurnedOffRelabelledAndRaised_oneByOne() {
        List<Rule> rules = rules(render(values(tmp, """
                prometheusRule: {enabled: true}
                alerts:
                  labels: {team: data}
                  crashing: {enabled: false}
                  rejectedRecords: {severity: critical, labels: {page: "yes"}, for: 5m}
                  runbookBaseUrl: https://wiki.example.com/ferry
                """)));
        assertThat(rules).extracting(Rule::getAlert).doesNotContain("FerryCrashing").hasSize(ALERTS.size() - 1);
        Rule rejected = rule(rules, "FerryRejectedRecords");
        assertThat(rejected.getLabels()).containsEntry("severity", "critical").containsEntry("page", "yes")
                .containsEntry("team", "data");
        assertThat(rejected.getFor()).isEqualTo("5m");
        assertThat(rejected.getAnnotations().get("runbook_url")).isEqualTo("https://wiki.example.com/ferry#ferryrejectedrecords");
        assertThat(rule(rules, "FerryBreakerOpened").getLabels()).containsEntry("severity", "warning")
                .containsEntry("team", "data");
    }

    @ParameterizedTest(name = "{0} {1}: every {2}s")
    @CsvSource(delimiter = '|', value = {
            "cronjob | 0 * * * * | 3600",
            "cronjob | */10 * * * * | 600",
            "cronjob | 5 * * * * | 3600",
            "cronjob | 15 */6 * * * | 21600",
            "cronjob | 0 3 * * * | 86400",
            "cronjob | 30 2 * * 1 | 604800",
            "cronjob | @daily | 86400",
            "deployment | 0 */15 * * * ? | 900",
            "deployment | 0 0 */2 * * ? | 7200" })
    void windows_followTheSchedule(String mode, String schedule, long interval) {
        String scheduleValues = mode.equals("cronjob") ? "cronjob: {schedule: \"" + schedule + "\"}"
                : "config: {run: {maxDuration: 10m}, schedule: \"" + schedule + "\"}";
        List<Rule> rules = rules(render(values(tmp, "prometheusRule: {enabled: true}\nmode: " + mode + "\n"
                + scheduleValues + "\n")));

        assertThat(expr(rules, "FerryNotRunning")).contains("> " + 3 * interval + " and");
        assertThat(expr(rules, "FerryNoSuccessfulRun")).contains("offset " + 3 * interval + "s");
        assertThat(expr(rules, "FerryWorkLeftTooLong")).contains("> " + 24 * interval + "\n");
        assertThat(expr(rules, "FerryBreakerOpened")).contains("[" + interval + "s]");
        assertThat(expr(rules, "FerryFailedBacklogGrowing")).contains("[" + 2 * interval + "s]");
    }

    @Test
    void scheduleIntervalSeconds_isRequired_whenTheScheduleIsNoFixedInterval() {
        Path irregular = values(tmp, "prometheusRule: {enabled: true}\ncronjob: {schedule: \"0 9-17 * * 1-5\"}\n");
        assertThatThrownBy(() -> render(irregular)).hasMessageContaining("alerts.scheduleIntervalSeconds");

        List<Rule> rules = rules(render(values(tmp, """
                prometheusRule: {enabled: true}
                cronjob: {schedule: "0 9-17 * * 1-5"}
                alerts: {scheduleIntervalSeconds: 3600, notRunning: {intervals: 20}}
                """)));
        assertThat(expr(rules, "FerryNotRunning")).contains("> 72000 and");
    }

    @Test
    void selector_scopesEveryFerrySeries_whenSet() {
        List<Rule> rules = rules(render(values(tmp, """
                prometheusRule: {enabled: true}
                alerts: {selector: 'namespace="batch",instance="ferry"'}
                """)));
        for (Rule rule : rules) {
            String expr = rule.getExpr().getStrVal();
            List<String> selectors = new ArrayList<>();
            java.util.regex.Matcher metric = java.util.regex.Pattern
                    .compile("\\b(ferry_[a-z_]+|push_time_seconds)(\\{[^}]*\\})?").matcher(expr);
            while (metric.find()) {
                selectors.add(metric.group());
            }
            assertThat(selectors).as(rule.getAlert()).isNotEmpty()
                    .allSatisfy(s -> assertThat(s).contains("namespace=\"batch\",instance=\"ferry\"}"));
        }
    }

    @Test
    void prometheusRule_carriesTheLabelsPrometheusSelects_whenEnabled() {
        PrometheusRule rule = one(render(values(tmp, """
                prometheusRule: {enabled: true, namespace: monitoring, additionalLabels: {release: kps}}
                """)), PrometheusRule.class);
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kps");
        assertThat(rule.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(rule.getSpec().getGroups().get(0).getRules().get(0).getAnnotations().get("summary"))
                .contains("{{ $labels.namespace }}/{{ $labels.instance }}");
    }

    @Test
    void grafanaDashboard_isLabelledForTheSidecar_andFiltersByNamespaceInstanceAndShard() throws IOException {
        List<HasMetadata> resources = render(values(tmp, """
                grafanaDashboard: {enabled: true, labelKey: dashboards, labelValue: ferry}
                """));
        ConfigMap dashboard = configMap(resources, FULLNAME + "-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("dashboards", "ferry");
        ObjectMapper json = new ObjectMapper();
        JsonNode shipped = json.readTree(dashboard.getData().get("ferry-dashboard.json"));
        assertThat(shipped).isEqualTo(json.readTree(CHART.resolve("files/ferry-dashboard.json").toFile()));

        assertThat(shipped.at("/templating/list")).extracting(v -> v.get("name").asText())
                .containsExactly("datasource", "namespace", "instance", "shard");
        assertThat(shipped.at("/templating/list/2/query/query").asText()).contains("namespace=~\"$namespace\"");
        assertThat(shipped.at("/templating/list/3/query/query").asText())
                .contains("namespace=~\"$namespace\", instance=~\"$instance\"");
        List<String> queries = new ArrayList<>();
        shipped.get("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.get("expr").asText())));
        assertThat(queries).isNotEmpty().allSatisfy(q -> assertThat(q)
                .contains("namespace=~\"$namespace\", instance=~\"$instance\", shard=~\"$shard\""));
        assertThat(queries).anySatisfy(q -> assertThat(q).contains("ferry_last_exit_code"));
    }

    @Test
    void observability_isNotRendered_withDefaultValues() {
        List<HasMetadata> resources = render();
        assertThat(all(resources, PrometheusRule.class)).isEmpty();
        assertThat(all(resources, ConfigMap.class)).hasSize(1);
    }

    private static List<Rule> rules(List<HasMetadata> resources) {
        return one(resources, PrometheusRule.class).getSpec().getGroups().get(0).getRules();
    }

    private static Rule rule(List<Rule> rules, String alert) {
        return rules.stream().filter(r -> alert.equals(r.getAlert())).findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + alert));
    }

    private static String expr(List<Rule> rules, String alert) {
        return rule(rules, alert).getExpr().getStrVal();
    }
}
