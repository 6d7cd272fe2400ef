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
        assertThat(gauge("ferry.last.exit.code")).isEqualTo(75);
    }

    @Test
    void restore_skipsRunsThatFoundTheLockTaken_forTheLastExitCode() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 77);
        Files.writeString(reports.resolve("20260101T020000.000Z-bbbb.json"), "{\"runId\":\"20260101T020000.000Z-bbbb\","
                + "\"endedAt\":\"2026-01-01T02:00:01Z\",\"exitCode\":0,\"skipped\":true}");

        metrics.restoreLastRuns(reports);

        assertThat(gauge("ferry.last.exit.code")).isEqualTo(77);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isZero();
    }

    @Test
    void runEnded_recordsTheRunsOwnExitCode_andASuccessOnlyForZero() {
        long first = Instant.parse("2026-03-01T01:00:00Z").getEpochSecond();
        metrics.runEnded(Duration.ofSeconds(3000), first, 75);
        assertThat(gauge("ferry.last.exit.code")).isEqualTo(75);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isZero();

        metrics.runEnded(Duration.ofSeconds(10), first + 3600, 0);
        assertThat(gauge("ferry.last.exit.code")).isZero();
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(first + 3600);
    }

    @Test
    void restore_keepsNewerValuesOfThisProcess_andSkipsDamagedReports() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 0);
        Files.writeString(reports.resolve("20260101T020000.000Z-bbbb.json"), "{not json");
        long now = Instant.parse("2026-02-01T00:00:00Z").getEpochSecond();
        metrics.runEnded(Duration.ofSeconds(3), now, 0);

        metrics.restoreLastRuns(reports);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(now);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(now);
        assertThat(gauge("ferry.last.exit.code")).isZero();
    }

    @Test
    void restore_withoutReports_leavesZeroAndNoExitCode() {
        metrics.restoreLastRuns(reports.resolve("missing"));

        assertThat(gauge("ferry.last.success.timestamp.seconds")).isZero();
        assertThat(gauge("ferry.last.exit.code")).as("no run has ended yet").isNaN();
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
