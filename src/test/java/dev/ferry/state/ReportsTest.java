package dev.ferry.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** reports/: the newest run and the newest success, read back for the last-run gauges of a new process. */
class ReportsTest {

    @TempDir
    Path root;

    Reports reports;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("reports"));
        reports = new Reports(new DataDir(root));
    }

    @Test
    void lastRuns_takesTheNewestRunAndTheNewestSuccess_notVerifyReports() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 0);
        report("20260101T020000.000Z-bbbb", "2026-01-01T02:05:00Z", 0);
        report("20260101T030000.000Z-cccc", "2026-01-01T03:05:00Z", 75);
        Files.writeString(root.resolve("reports/verify-20260101T040000.000Z-dddd.json"), "{}");

        Reports.LastRuns last = reports.lastRuns();

        assertThat(last.lastRunEpochSeconds()).isEqualTo(epoch("2026-01-01T03:05:00Z"));
        assertThat(last.lastSuccessEpochSeconds()).isEqualTo(epoch("2026-01-01T02:05:00Z"));
        assertThat(last.lastExitCode()).isEqualTo(75);
    }

    @Test
    void lastRuns_skipsRunsThatFoundTheLockTaken() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 77);
        Files.writeString(root.resolve("reports/20260101T020000.000Z-bbbb.json"), "{\"runId\":\"20260101T020000.000Z-bbbb\","
                + "\"endedAt\":\"2026-01-01T02:00:01Z\",\"exitCode\":0,\"skipped\":true}");

        Reports.LastRuns last = reports.lastRuns();

        assertThat(last.lastExitCode()).isEqualTo(77);
        assertThat(last.lastSuccessEpochSeconds()).isZero();
    }

    @Test
    void lastRuns_skipsDamagedReports() throws Exception {
        report("20260101T010000.000Z-aaaa", "2026-01-01T01:05:00Z", 0);
        Files.writeString(root.resolve("reports/20260101T020000.000Z-bbbb.json"), "{not json");

        Reports.LastRuns last = reports.lastRuns();

        assertThat(last.lastRunEpochSeconds()).isEqualTo(epoch("2026-01-01T01:05:00Z"));
        assertThat(last.lastSuccessEpochSeconds()).isEqualTo(epoch("2026-01-01T01:05:00Z"));
    }

    @Test
    void lastRuns_withoutReports_isZero() throws Exception {
        Files.delete(root.resolve("reports"));

        assertThat(reports.lastRuns()).isEqualTo(new Reports.LastRuns(0, 0, null));
        assertThat(reports.last()).isEmpty();
    }

    private void report(String runId, String endedAt, int exitCode) throws Exception {
        Files.writeString(root.resolve("reports").resolve(runId + ".json"), "{\"runId\":\"" + runId + "\",\"endedAt\":\""
                + endedAt + "\",\"exitCode\":" + exitCode + ",\"skipped\":false}");
    }

    private static long epoch(String instant) {
        return Instant.parse(instant).getEpochSecond();
    }
}
