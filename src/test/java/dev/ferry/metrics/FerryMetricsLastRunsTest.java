package dev.ferry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A new process (every CronJob run) starts its last-run gauges from reports/, not from 0. */
class FerryMetricsLastRunsTest {

    @TempDir
    Path reports;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final FerryMetrics metrics = new FerryMetrics(registry);

    @Test
    void restore_takesTheNewestRunAndTheNewestSuccess_fromTheReports() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 0);
        report("20260101T020000.000Z-bbbb", "2026-01-01T02:05:00Z", 0);
        report("20260101T030000.000Z-cccc", "2026-01-01T03:05:00Z", 75);
        Files.writeString(reports.resolve("verify-20260101T040000.000Z-dddd.json"), "{}");

        metrics.restoreLastRuns(reports);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(epoch("2026-01-01T03:05:00Z"));
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(epoch("2026-01-01T02:05:00Z"));
    }

    @Test
    void restore_keepsNewerValuesOfThisProcess_andSkipsDamagedReports() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 0);
        Files.writeString(reports.resolve("20260101T020000.000Z-bbbb.json"), "{not json");
        long now = Instant.parse("2026-02-01T00:00:00Z").getEpochSecond();
        metrics.runEnded(Duration.ofSeconds(3), now, true);

        metrics.restoreLastRuns(reports);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(now);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(now);
    }

    @Test
    void restore_withoutReports_leavesZero() {
        metrics.restoreLastRuns(reports.resolve("missing"));

        assertThat(gauge("ferry.last.success.timestamp.seconds")).isZero();
    }

    @Test
    void groupingKey_defaultsInstanceToTheHostName_andKeepsAGivenOne() {
        assertThat(PushgatewayPusher.groupingKey(java.util.Map.of("shard", "a")))
                .containsEntry("shard", "a").containsKey("instance");
        assertThat(PushgatewayPusher.groupingKey(java.util.Map.of("instance", "ferry-prod")))
                .containsExactly(java.util.Map.entry("instance", "ferry-prod"));
    }

    private void report(String runId, String endedAt, int exitCode) throws Exception {
        Files.writeString(reports.resolve(runId + ".json"), "{\"runId\":\"" + runId + "\",\"endedAt\":\"" + endedAt
                + "\",\"exitCode\":" + exitCode + ",\"skipped\":false}");
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static double epoch(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }
}
