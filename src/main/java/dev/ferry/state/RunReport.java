package dev.ferry.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code reports/<run-id>.json}. Its counts balance: records read + deletes = delivered + unchanged + deleted +
 * failed + rejected + given up + left, where {@code deletes} are the DELETEs that snapshot files sent or queued for
 * the keys they left out: no lines of any file, so not records read (a delete replayed from failed/ is a line read).
 * Without snapshots, records read = delivered + unchanged + failed + rejected + given up + left.
 *
 * @param stopReason why the run stopped early (SIGTERM, DEADLINE, CREDENTIALS_REFUSED, CONFIGURATION, MISROUTED,
 *                   MASS_DELETE), or null
 * @param skipped    true when another run held the lock and this one did nothing
 */
@RegisterForReflection
public record RunReport(String runId, Instant startedAt, Instant endedAt, double durationSeconds, int exitCode,
        String stopReason, boolean skipped, Records records, long retries, long breakerOpenings,
        double readerPausedSeconds, Map<String, Long> requests, long failedBacklog, List<FileSummary> files,
        String error) {

    /** The report of a run that found another holding the lock, and did nothing. */
    public static RunReport skipped(String runId, Instant startedAt, Instant endedAt) {
        return new RunReport(runId, startedAt, endedAt, 0, 0, null, true, new Records(0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 0,
                0, Map.of(), 0, List.of(), null);
    }

    /**
     * @param deletes the DELETEs snapshot files sent (or queued in failed/) for keys they left out: not records read
     * @param deleted DELETEs the API accepted, a snapshot's or replayed ones
     */
    @RegisterForReflection
    public record Records(long read, long deletes, long delivered, long unchanged, long deleted, long failed,
            long rejected, long givenUp, long left) {
    }

    /**
     * @param snapshot what a snapshot file ({@code ferry.snapshot.pattern}) did about the keys it left out; absent for
     *                 any other file
     */
    @RegisterForReflection
    public record FileSummary(String file, String kind, long read, long deletes, long delivered, long unchanged,
            long deleted, long failed, long rejected, long givenUp, long left, boolean complete,
            @JsonInclude(JsonInclude.Include.NON_NULL) SnapshotDeletes snapshot) {
    }

    /**
     * The deletes of a snapshot file in this run.
     *
     * @param state  {@code deleting} (the keys it left out are being deleted; done once the file is complete),
     *               {@code held} (more than {@code ferry.snapshot.max-delete-ratio} of the known keys: nothing deleted,
     *               the run stopped with exit 76, the file waits in processing/), {@code skipped} (nothing deleted, see
     *               {@code reason}) or {@code pending} (the run stopped before the file's records were all settled)
     * @param absent the known keys it left out, when counted (deleting, held)
     * @param known  the keys ferry knew then
     * @param reason why nothing was deleted (held, skipped)
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SnapshotDeletes(String state, Long absent, Long known, String reason) {
    }
}
