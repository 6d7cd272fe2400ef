package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ferry.core.Shard;

/** The Pushgateway group of a run: job=ferry plus instance and, in Kubernetes, namespace; shard for shards. */
class PushgatewayGroupingTest {

    @TempDir
    Path tmp;

    @Test
    void groupingKey_defaultsInstanceAndNamespace_whenNotConfigured() {
        assertThat(PushgatewayPusher.groupingKey(Map.of("shard", "a"), "ferry-28930000-abcde", Optional.of("batch"),
                Shard.SINGLE)).containsExactly(entry("instance", "ferry-28930000-abcde"), entry("namespace", "batch"),
                        entry("shard", "a"));
    }

    @Test
    void groupingKey_keepsConfiguredLabels_overTheDefaults() {
        assertThat(PushgatewayPusher.groupingKey(Map.of("instance", "ferry-prod", "namespace", "eu"), "pod-1",
                Optional.of("batch"), Shard.SINGLE))
                .containsExactly(entry("instance", "ferry-prod"), entry("namespace", "eu"));
    }

    @Test
    void groupingKey_hasNoNamespace_outsideKubernetes() {
        assertThat(PushgatewayPusher.groupingKey(Map.of(), "laptop", Optional.empty(), Shard.SINGLE))
                .containsExactly(entry("instance", "laptop"));
    }

    @Test
    void groupingKey_labelsEachShardByItsIndex_overAConfiguredShardLabel_whenSharded() {
        Map<String, String> configured = Map.of("instance", "ferry-prod", "shard", "eu-1");

        assertThat(PushgatewayPusher.groupingKey(configured, "pod-1", Optional.of("batch"), new Shard(2, 4)))
                .containsExactly(entry("instance", "ferry-prod"), entry("namespace", "batch"), entry("shard", "2"));
        assertThat(PushgatewayPusher.groupingKey(configured, "pod-1", Optional.of("batch"), Shard.SINGLE))
                .containsEntry("shard", "eu-1");
    }

    @Test
    void podNamespace_prefersTheEnvironment_thenTheServiceAccountFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("namespace"), "from-file\n");

        assertThat(PushgatewayPusher.podNamespace("from-env", file)).contains("from-env");
        assertThat(PushgatewayPusher.podNamespace(null, file)).contains("from-file");
        assertThat(PushgatewayPusher.podNamespace(" ", tmp.resolve("missing"))).isEmpty();
    }
}
