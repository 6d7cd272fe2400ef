package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A new process (every CronJob run) starts its last-run gauges from what reports/ says, not from 0. */
class FerryMetricsLastRunsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FerryMetrics metrics = new FerryMetrics(registry);

    @Test
    void restore_keepsNewerValuesOfThisProcess() {
        long now = Instant.parse("2026-02-01T00:00:00Z").getEpochSecond();
        metrics.runEnded(Duration.ofSeconds(3), now, true);

        metrics.restoreLastRuns(now - 3600, now - 7200);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(now);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(now);
    }

    @Test
    void restore_seedsTheGaugesOfANewProcess() {
        metrics.restoreLastRuns(1_000, 900);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(1_000);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(900);
    }

    @Test
    void groupingKey_defaultsInstanceToTheHostName_andKeepsAGivenOne() {
        assertThat(PushgatewayPusher.groupingKey(java.util.Map.of("shard", "a")))
                .containsEntry("shard", "a").containsKey("instance");
        assertThat(PushgatewayPusher.groupingKey(java.util.Map.of("instance", "ferry-prod")))
                .containsExactly(java.util.Map.entry("instance", "ferry-prod"));
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
