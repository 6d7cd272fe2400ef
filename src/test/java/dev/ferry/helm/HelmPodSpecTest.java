package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.YAML;
import static dev.ferry.helm.HelmChart.all;
import static dev.ferry.helm.HelmChart.configData;
import static dev.ferry.helm.HelmChart.cronJob;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.ferryContainer;
import static dev.ferry.helm.HelmChart.one;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static dev.ferry.helm.HelmChart.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * The workloads: one pod spec (locked down, shared by the run CronJob, the verify CronJob and the Deployment),
 * the Job's deadline and failure policy, and what operators add to the pod (volumes, containers, service
 * account, scheduling).
 */
class HelmPodSpecTest {

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    static Stream<Path> ciValuesFiles() throws IOException {
        return HelmChart.ciValuesFiles();
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
    void podSpec_isSharedByAllWorkloads_apartFromCommandAndHttp() {
        List<HasMetadata> cronResources = render(values(tmp, "auth: {mode: bearer, bearer: {token: t}}\nverify: {enabled: true}\n"));
        PodSpec cron = cronJobPod(cronResources);
        PodSpec verify = cronJob(cronResources, FULLNAME + "-verify").getSpec().getJobTemplate().getSpec()
                .getTemplate().getSpec();
        PodSpec serve = one(render(values(tmp, "mode: deployment\nauth: {mode: bearer, bearer: {token: t}}\n")), Deployment.class)
                .getSpec().getTemplate().getSpec();

        Container serveContainer = serve.getContainers().get(0);
        assertThat(serveContainer.getArgs()).containsExactly("serve");
        assertThat(cron.getContainers().get(0).getArgs()).containsExactly("run");
        assertThat(verify.getContainers().get(0).getArgs()).containsExactly("verify");
        assertThat(cron.getRestartPolicy()).isEqualTo("Never");
        assertThat(verify.getRestartPolicy()).isEqualTo("Never");

        // strip what only one workload has; the rest comes from the one ferry.podSpec helper
        verify.getContainers().get(0).setArgs(List.of());
        cron.getContainers().get(0).setArgs(List.of());
        assertThat(verify).isEqualTo(cron);
        cron.setRestartPolicy(null);
        serveContainer.setArgs(List.of());
        serveContainer.setPorts(List.of());
        serveContainer.setLivenessProbe(null);
        serveContainer.setReadinessProbe(null);
        serveContainer.getEnv().removeIf(e -> e.getName().equals("QUARKUS_HTTP_HOST_ENABLED"));
        assertThat(serve).isEqualTo(cron);
    }

    // ---------------------------------------------------------------- CronJob, deadlines, Job status

    @Test
    void cronJob_forbidsOverlapAndOutlastsMaxDuration_withDefaultValues() {
        List<HasMetadata> resources = render();
        CronJob cronJob = cronJob(resources, FULLNAME);
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

        PodSpec pod = job.getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getContainers().get(0).getArgs()).containsExactly("run");
        assertThat(pod.getTerminationGracePeriodSeconds()).as("request timeout 10s + 20s").isEqualTo(30L);
    }

    @Test
    void jobStatus_failsOnlyForMisroutingCredentialsAndConfiguration_whileWorkLeftSucceeds() {
        List<HasMetadata> resources = render();
        List<PodFailurePolicyRule> rules = cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec()
                .getPodFailurePolicy().getRules();

        assertThat(rules.get(0).getAction()).isEqualTo("FailJob");
        assertThat(rules.get(0).getOnExitCodes().getContainerName()).isEqualTo("ferry");
        assertThat(rules.get(0).getOnExitCodes().getValues()).containsExactlyInAnyOrder(76, 77, 78)
                .doesNotContain(1, 75);
        assertThat(rules.get(1).getAction()).isEqualTo("Ignore");
        assertThat(rules.get(1).getOnPodConditions()).singleElement()
                .satisfies(condition -> assertThat(condition.getType()).isEqualTo("DisruptionTarget"));
        // exit 75 becomes 0 for the process: the Job completes, the next run resumes
        assertThat(configData(resources)).containsEntry("FERRY_RUN_WORK_LEFT_EXIT_CODE", "0");
    }

    @ParameterizedTest(name = "maxDuration {0} = {1}s")
    @CsvSource({"90s, 90", "45m, 2700", "2h, 7200", "1d, 86400", "1500ms, 2", "600, 600"})
    void cronJob_deadlineExceedsMaxDuration_withCustomMaxDuration(String maxDuration, long seconds) {
        List<HasMetadata> resources = render(values(tmp, "config: {run: {maxDuration: \"" + maxDuration + "\"}}\n"));
        JobSpec job = cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec();
        assertThat(job.getActiveDeadlineSeconds()).isGreaterThan(seconds).isEqualTo(seconds + 300);
        assertThat(configData(resources)).containsEntry("FERRY_RUN_MAX_DURATION", maxDuration);
    }

    @Test
    void cronJob_deadlineAddsConfiguredMargin_whenMarginChanged() {
        List<HasMetadata> resources = render(values(tmp, """
                config: {run: {maxDuration: 20m}}
                cronjob: {deadlineMarginSeconds: 120}
                """));
        assertThat(cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec().getActiveDeadlineSeconds())
                .isEqualTo(20 * 60 + 120);
    }

    @Test
    void terminationGrace_exceedsRequestTimeout_whenTimeoutSet() {
        PodSpec pod = cronJobPod(render(values(tmp, "config: {request: {timeout: 45s}}\n")));
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(45L).isEqualTo(65L);
    }

    @Test
    void template_fails_whenMaxDurationIsNotADuration() {
        Path file = values(tmp, "config: {run: {maxDuration: fifty minutes}}\n");
        assertThatThrownBy(() -> render(file)).hasMessageContaining("maxDuration");
    }

    // ---------------------------------------------------------------- verify CronJob

    @Test
    void verifyCronJob_runsVerifyOnItsSchedule_andFailsAtOnceOnDifferences_whenEnabled() {
        List<HasMetadata> resources = render(values(tmp, """
                verify: {enabled: true, schedule: "15 4 * * 0", args: [verify, --repair], activeDeadlineSeconds: 7200}
                """));
        CronJob verify = cronJob(resources, FULLNAME + "-verify");
        assertThat(verify.getSpec().getSchedule()).isEqualTo("15 4 * * 0");
        assertThat(verify.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        JobSpec job = verify.getSpec().getJobTemplate().getSpec();
        assertThat(job.getActiveDeadlineSeconds()).isEqualTo(7200L);
        assertThat(job.getBackoffLimit()).isZero();
        assertThat(job.getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues())
                .containsExactlyInAnyOrder(3, 75, 77, 78);
        assertThat(job.getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("verify", "--repair");
        assertThat(verify.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "verify");
    }

    @Test
    void verifyCronJob_isNotRendered_withDefaultValues() {
        assertThat(all(render(), CronJob.class)).extracting(c -> c.getMetadata().getName()).containsExactly(FULLNAME);
    }

    // ---------------------------------------------------------------- what operators add to the pod

    @Test
    void extraVolumesAndMounts_areAdded_besideDataAndTmp() {
        PodSpec pod = cronJobPod(render(values(tmp, """
                extraVolumes:
                  - name: ca-bundle
                    configMap: {name: corporate-ca}
                  - name: api-secrets
                    secret: {secretName: "{{ include \\"ferry.fullname\\" . }}-api"}
                extraVolumeMounts:
                  - {name: ca-bundle, mountPath: /etc/ferry/ca, readOnly: true}
                  - {name: api-secrets, mountPath: /etc/ferry/secrets, readOnly: true}
                config: {target: {url: "https://api.example.test"}}
                """)));
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("data", "tmp", "ca-bundle", "api-secrets");
        assertThat(volume(pod, "ca-bundle").getConfigMap().getName()).isEqualTo("corporate-ca");
        assertThat(volume(pod, "api-secrets").getSecret().getSecretName()).as("templates work")
                .isEqualTo(FULLNAME + "-api");
        assertThat(ferryContainer(pod).getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .containsExactly("/data", "/tmp", "/etc/ferry/ca", "/etc/ferry/secrets");
    }

    @Test
    void initContainersAndSidecars_joinThePod_withTheDataVolumeAtHand() {
        PodSpec pod = cronJobPod(render(values(tmp, """
                initContainers:
                  - name: fetch
                    image: busybox:1.36
                    command: [sh, -c, "touch {{ .Values.persistentVolume.mountPath }}/inbox/.probe"]
                    volumeMounts: [{name: data, mountPath: /data}]
                sidecars:
                  - name: log-shipper
                    image: fluent/fluent-bit:3.1
                """)));
        assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
            assertThat(init.getName()).isEqualTo("fetch");
            assertThat(init.getCommand()).last().isEqualTo("touch /data/inbox/.probe");
            assertThat(init.getVolumeMounts()).extracting(VolumeMount::getName).containsExactly("data");
        });
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("ferry", "log-shipper");
    }

    @Test
    void serviceAccount_isCreatedWithAnnotations_andUsedByThePod_whenCreate() {
        List<HasMetadata> resources = render(values(tmp, """
                serviceAccount:
                  create: true
                  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/ferry"}
                """));
        ServiceAccount account = one(resources, ServiceAccount.class);
        assertThat(account.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(account.getMetadata().getAnnotations())
                .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/ferry");
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
        assertThat(cronJobPod(resources).getServiceAccountName()).isEqualTo(FULLNAME);
    }

    @Test
    void serviceAccount_isAnExistingOne_orTheDefault_whenNotCreated() {
        List<HasMetadata> existing = render(values(tmp, "serviceAccount: {name: batch-runner}\n"));
        assertThat(all(existing, ServiceAccount.class)).isEmpty();
        assertThat(cronJobPod(existing).getServiceAccountName()).isEqualTo("batch-runner");
        assertThat(cronJobPod(render()).getServiceAccountName()).isNull();
    }

    @Test
    void scheduling_andPodMetadata_comeFromValues_whenSet() {
        List<HasMetadata> resources = render(values(tmp, """
                nodeSelector: {kubernetes.io/os: linux}
                tolerations: [{key: batch, operator: Exists, effect: NoSchedule}]
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]
                priorityClassName: batch-low
                podAnnotations: {cluster-autoscaler.kubernetes.io/safe-to-evict: "false"}
                podLabels: {team: data}
                """));
        PodSpec pod = cronJobPod(resources);
        assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("batch"));
        assertThat(pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()).hasSize(1);
        assertThat(pod.getPriorityClassName()).isEqualTo("batch-low");
        var metadata = cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec().getTemplate().getMetadata();
        assertThat(metadata.getAnnotations()).containsEntry("cluster-autoscaler.kubernetes.io/safe-to-evict", "false")
                .containsKey("checksum/config");
        assertThat(metadata.getLabels()).containsEntry("team", "data").containsEntry("app.kubernetes.io/name", "ferry");
    }

    @Test
    void subchart_valueEnabled_isAccepted() {
        assertThat(all(render(values(tmp, "enabled: true\n")), CronJob.class)).hasSize(1);
    }

    // ---------------------------------------------------------------- deployment mode

    @Test
    void deploymentMode_rendersDeploymentAndServiceWithProbes() {
        List<HasMetadata> resources = render(values(tmp, "mode: deployment\n"));
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
        ServiceMonitor monitor = one(render(HelmChart.CHART.resolve("ci/deployment-values.yaml")), ServiceMonitor.class);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(endpoint -> {
            assertThat(endpoint.getPort()).isEqualTo("http");
            assertThat(endpoint.getPath()).isEqualTo("/q/metrics");
            assertThat(endpoint.getInterval()).isEqualTo("30s");
        });
    }

    @Test
    void serviceMonitor_isNotRendered_inCronJobMode() {
        assertThat(all(render(values(tmp, "serviceMonitor: {enabled: true}\n")), ServiceMonitor.class)).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private static void assertLockedDown(PodSpec pod, String dataMountPath) {
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();

        PodSecurityContext podContext = pod.getSecurityContext();
        assertThat(podContext.getRunAsNonRoot()).isTrue();
        assertThat(podContext.getRunAsUser()).isEqualTo(1001L);
        assertThat(podContext.getRunAsGroup()).isEqualTo(1001L);
        assertThat(podContext.getFsGroup()).isEqualTo(1001L);
        assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Container ferry = ferryContainer(pod);
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
}
