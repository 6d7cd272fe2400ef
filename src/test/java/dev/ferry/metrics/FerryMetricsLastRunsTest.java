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
    void restore_seedsTheGaugesOfANewProcess() {
        metrics.restoreLastRuns(1_000, 900, 75);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(1_000);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(900);
        assertThat(gauge("ferry.last.exit.code")).isEqualTo(75);
    }

    @Test
    void restore_keepsNewerValuesOfThisProcess() {
        long now = Instant.parse("2026-02-01T00:00:00Z").getEpochSecond();
        metrics.runEnded(Duration.ofSeconds(3), now, 0);

        metrics.restoreLastRuns(now - 3600, now - 7200, 77);

        assertThat(gauge("ferry.last.run.timestamp.seconds")).isEqualTo(now);
        assertThat(gauge("ferry.last.success.timestamp.seconds")).isEqualTo(now);
        assertThat(gauge("ferry.last.exit.code")).isZero();
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
    void noRunYet_leavesZeroAndNoExitCode() {
        metrics.restoreLastRuns(0, 0, null);

        assertThat(gauge("ferry.last.success.timestamp.seconds")).isZero();
        assertThat(gauge("ferry.last.exit.code")).as("no run has ended yet").isNaN();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
