package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.NAMESPACE;
import static dev.ferry.helm.HelmChart.all;
import static dev.ferry.helm.HelmChart.configData;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.decode;
import static dev.ferry.helm.HelmChart.notes;
import static dev.ferry.helm.HelmChart.one;
import static dev.ferry.helm.HelmChart.parseAll;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.template;
import static dev.ferry.helm.HelmChart.values;
import static dev.ferry.helm.HelmChart.volume;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * What must not leak and what must not be lost: the bearer token only through a Secret, the data volume (claim,
 * existing claim, emptyDir with a warning), and what NOTES.txt tells the operator after an install.
 */
class HelmSecretsVolumesTest {

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    // ---------------------------------------------------------------- bearer token

    @Test
    void bearerToken_comesFromChartSecret_whenSetInValues() {
        String token = "s3cr3t-token-value";
        String rendered = template(values(tmp, "auth: {bearerToken: " + token + "}\n"));
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
        String rendered = template(HelmChart.CHART.resolve("ci/existing-secret-values.yaml"));
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
        String rendered = template(values(tmp, "auth: {bearerToken: " + token + ", existingSecret: vault-synced}\n"));
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

    // ---------------------------------------------------------------- data volume

    @Test
    void persistentVolume_createsKeptClaim_withDefaultValues() {
        List<HasMetadata> resources = render();
        PersistentVolumeClaim claim = one(resources, PersistentVolumeClaim.class);
        assertThat(claim.getMetadata().getName()).isEqualTo(FULLNAME);
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("2Gi");
        assertThat(volume(cronJobPod(resources), "data").getPersistentVolumeClaim().getClaimName()).isEqualTo(FULLNAME);
    }

    @Test
    void persistentVolume_mountsExistingClaim_whenExistingClaimSet() {
        List<HasMetadata> resources = render(values(tmp, "persistentVolume: {existingClaim: shared-inbox}\n"));
        assertThat(all(resources, PersistentVolumeClaim.class)).isEmpty();
        assertThat(volume(cronJobPod(resources), "data").getPersistentVolumeClaim().getClaimName()).isEqualTo("shared-inbox");
    }

    @Test
    void persistentVolume_fallsBackToEmptyDirWithWarning_whenDisabled() {
        Path file = values(tmp, "persistentVolume: {enabled: false}\n");
        List<HasMetadata> resources = render(file);
        assertThat(all(resources, PersistentVolumeClaim.class)).isEmpty();
        assertThat(volume(cronJobPod(resources), "data").getEmptyDir()).isNotNull();
        assertThat(notes(file)).contains("WARNING: persistentVolume.enabled is false");
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
        for (String code : List.of("0", "75", "76", "77", "78", "1")) {
            assertThat(notes).containsPattern("(?m)^  " + code + " +\\S");
        }
        assertThat(notes).contains("the process exits 0: the Job succeeds")
                .contains("https://github.com/ferry-sync/ferry/blob/main/observability/OPERATIONS.md");
    }

    // ---------------------------------------------------------------- helpers

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

}
