package dev.ferry.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code reports/<run-id>.json}. Its counts balance: records read = delivered + failed + rejected + given up + left.
 *
 * @param stopReason why the run stopped early (SIGTERM, DEADLINE, CREDENTIALS_REFUSED), or null
 * @param skipped    true when another run held the lock and this one did nothing
 */
@RegisterForReflection
public record RunReport(String runId, Instant startedAt, Instant endedAt, double durationSeconds, int exitCode,
        String stopReason, boolean skipped, Records records, long retries, long breakerOpenings,
        double readerPausedSeconds, Map<String, Long> requests, long failedBacklog, List<FileSummary> files,
        String error) {

    /** The report of a run that found another holding the lock, and did nothing. */
    public static RunReport skipped(String runId, Instant startedAt, Instant endedAt) {
        return new RunReport(runId, startedAt, endedAt, 0, 0, null, true, new Records(0, 0, 0, 0, 0, 0), 0, 0, 0,
                Map.of(), 0, List.of(), null);
    }

    @RegisterForReflection
    public record Records(long read, long delivered, long failed, long rejected, long givenUp, long left) {
    }

    /**
     * One file's part of the run: {@code read} = the sum of the outcomes + {@code left}.
     *
     * @param otherShards records of the file that other shards deliver ({@code ferry.shard.count} > 1), passed over
     *                    unread: with {@code read} they make the file's records
     */
    @RegisterForReflection
    public record FileSummary(String file, String kind, long read, long delivered, long failed, long rejected,
            long givenUp, long left, boolean complete, long otherShards) {
    }
}
