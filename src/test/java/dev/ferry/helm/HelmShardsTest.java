package dev.ferry.helm;

import static dev.ferry.helm.HelmChart.FULLNAME;
import static dev.ferry.helm.HelmChart.configData;
import static dev.ferry.helm.HelmChart.cronJob;
import static dev.ferry.helm.HelmChart.ferryContainer;
import static dev.ferry.helm.HelmChart.render;
import static dev.ferry.helm.HelmChart.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;

/**
 * {@code shards}: more than one makes each run (and each verify) an Indexed Job of that many pods at once, each told
 * its shard; only a volume every pod can write is accepted; the dashboard shows the shards apart (its filter by shard:
 * {@code HelmAlertsTest}).
 */
class HelmShardsTest {

    static final String RWX = "persistentVolume: {accessModes: [ReadWriteMany]}\n";

    @TempDir(factory = HelmChart.UnderTarget.class)
    Path tmp;

    @Test
    void shards_makeEachRunAnIndexedJob_ofThatManyPodsAtOnce_eachToldItsShard() {
        List<HasMetadata> resources = render(values(tmp, "shards: 4\n" + RWX));

        JobSpec job = cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec();
        assertThat(job.getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getCompletions()).isEqualTo(4);
        assertThat(job.getParallelism()).isEqualTo(4);
        assertThat(job.getBackoffLimitPerIndex()).as("a shard's retries are its own").isEqualTo(1);
        assertThat(job.getBackoffLimit()).isNull();
        assertThat(configData(resources)).containsEntry("FERRY_SHARD_COUNT", "4");
        EnvVar index = ferryContainer(job.getTemplate().getSpec()).getEnv().stream()
                .filter(env -> env.getName().equals("FERRY_SHARD_INDEX")).findFirst().orElseThrow();
        assertThat(index.getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    }

    @Test
    void verify_runsAsTheSameShards_sinceEachShardKeepsItsOwnLedger() {
        List<HasMetadata> resources = render(values(tmp, "shards: 3\nverify: {enabled: true}\n" + RWX));

        JobSpec verify = cronJob(resources, FULLNAME + "-verify").getSpec().getJobTemplate().getSpec();
        assertThat(verify.getCompletionMode()).isEqualTo("Indexed");
        assertThat(verify.getCompletions()).isEqualTo(3);
        assertThat(verify.getBackoffLimitPerIndex()).isZero();
    }

    @Test
    void oneShard_rendersTheJobAsBefore() {
        List<HasMetadata> resources = render();

        JobSpec job = cronJob(resources, FULLNAME).getSpec().getJobTemplate().getSpec();
        assertThat(job.getCompletionMode()).isNull();
        assertThat(job.getCompletions()).isNull();
        assertThat(job.getBackoffLimit()).isEqualTo(1);
        assertThat(configData(resources)).doesNotContainKey("FERRY_SHARD_COUNT");
        assertThat(ferryContainer(job.getTemplate().getSpec()).getEnv())
                .noneMatch(env -> env.getName().equals("FERRY_SHARD_INDEX"));
    }

    @Test
    void shards_acceptAnExistingClaim_whichTheOperatorVouchesIsReadWriteMany() {
        JobSpec job = cronJob(render(values(tmp, "shards: 2\npersistentVolume: {existingClaim: shared-nfs}\n")),
                FULLNAME).getSpec().getJobTemplate().getSpec();

        assertThat(job.getCompletions()).isEqualTo(2);
    }

    @Test
    void shards_needAVolumeEveryPodCanWrite_andTheCronJob() {
        for (String yaml : List.of("shards: 2\n", "shards: 2\npersistentVolume: {accessModes: [ReadWriteOnce]}\n",
                "shards: 2\npersistentVolume: {enabled: false, accessModes: [ReadWriteMany]}\n",
                "shards: 2\nmode: deployment\n" + RWX, "shards: 0\n")) {
            Path file = values(tmp, yaml);
            assertThatThrownBy(() -> render(file)).as(yaml)
                    .hasMessageContaining("values don't meet the specifications of the schema");
        }
    }

    @Test
    void dashboard_showsEachShardApart() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(HelmChart.CHART.resolve("files/ferry-dashboard.json").toFile());
        List<String> queries = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> {
            titles.add(panel.path("title").asText());
            panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
        });

        assertThat(queries).filteredOn(query -> query.contains("by (namespace, instance")).isNotEmpty()
                .allSatisfy(query -> assertThat(query).contains("by (namespace, instance, shard)"));
        assertThat(titles).contains("Records/s by shard");
    }
}
