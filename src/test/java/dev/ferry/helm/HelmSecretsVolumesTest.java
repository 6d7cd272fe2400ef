package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.NAMESPACE;
import static dev.ferry.helm.HelmChart.all;
import static dev.ferry.helm.HelmChart.cronJobPod;
import static dev.ferry.helm.HelmChart.notes;
import static dev.ferry.helm.HelmChart.one;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static dev.ferry.helm.HelmChart.volume;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

/**
 * What must not be lost: the data volume (claim, existing claim, emptyDir with a warning), and what NOTES.txt tells
 * the operator after an install. Credentials: {@link HelmAuthTest}.
 */
class HelmSecretsVolumesTest {

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

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
}
