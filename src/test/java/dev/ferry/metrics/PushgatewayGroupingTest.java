package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Pushgateway group of a run: job=ferry plus instance and, in Kubernetes, namespace. */
class PushgatewayGroupingTest {

    @TempDir
    Path tmp;

    @Test
    void groupingKey_defaultsInstanceAndNamespace_whenNotConfigured() {
        assertThat(PushgatewayPusher.groupingKey(Map.of("shard", "a"), "ferry-28930000-abcde", Optional.of("batch")))
                .containsExactly(entry("instance", "ferry-28930000-abcde"), entry("namespace", "batch"),
                        entry("shard", "a"));
    }

    @Test
    void groupingKey_keepsConfiguredLabels_overTheDefaults() {
        assertThat(PushgatewayPusher.groupingKey(Map.of("instance", "ferry-prod", "namespace", "eu"), "pod-1",
                Optional.of("batch")))
                .containsExactly(entry("instance", "ferry-prod"), entry("namespace", "eu"));
    }

    @Test
    void groupingKey_hasNoNamespace_outsideKubernetes() {
        assertThat(PushgatewayPusher.groupingKey(Map.of(), "laptop", Optional.empty()))
                .containsExactly(entry("instance", "laptop"));
    }

    @Test
    void podNamespace_prefersTheEnvironment_thenTheServiceAccountFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("namespace"), "from-file\n");

        assertThat(PushgatewayPusher.podNamespace("from-env", file)).contains("from-env");
        assertThat(PushgatewayPusher.podNamespace(null, file)).contains("from-file");
        assertThat(PushgatewayPusher.podNamespace(" ", tmp.resolve("missing"))).isEmpty();
    }
}
