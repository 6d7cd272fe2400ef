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
 * @param ambiguous  the keys read back after ambiguous answers ({@code ferry.verify.ambiguous-after})
 */
@RegisterForReflection
public record RunReport(String runId, Instant startedAt, Instant endedAt, double durationSeconds, int exitCode,
        String stopReason, boolean skipped, Records records, long retries, long breakerOpenings,
        double readerPausedSeconds, Map<String, Long> requests, long failedBacklog, Ambiguous ambiguous,
        List<FileSummary> files, String error) {

    /** The report of a run that found another holding the lock, and did nothing. */
    public static RunReport skipped(String runId, Instant startedAt, Instant endedAt) {
        return skipped(runId, startedAt, endedAt, 0);
    }

    /**
     * The report of a run that did nothing and exits {@code exitCode}: 75 when work waits that it may not touch now
     * (a requeue's move across shards that another shard's lock keeps it from completing).
     */
    public static RunReport skipped(String runId, Instant startedAt, Instant endedAt, int exitCode) {
        return new RunReport(runId, startedAt, endedAt, 0, exitCode, null, true,
                new Records(0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 0, 0, Map.of(), 0, Ambiguous.NONE, List.of(), null);
    }

    /**
     * What the run's reconciliation of ambiguous deliveries did with the keys due
     * ({@code ferry.verify.ambiguous-after}). Not records read: these counts stand beside {@link Records}.
     *
     * @param confirmed    keys the API holds at their last version delivered: read back equal, or whose request that
     *                     may land late was of that very version
     * @param resent       keys re-sent at their last version, with a fresh idempotency key, because the API held
     *                     another or none
     * @param resendFailed re-sends that did not get through (failed/, replayed as re-sends; or rejected/)
     * @param dropped      keys with no version delivered to hold the API to (their record was refused or given up)
     * @param pending      keys left for a later run: not due yet, a newer version waiting in failed/, a re-send that
     *                     failed, or the API unavailable for read-backs
     * @param nextDue      when the earliest pending key is due; null when none is pending
     */
    @RegisterForReflection
    public record Ambiguous(long confirmed, long resent, long resendFailed, long dropped, long pending,
            Instant nextDue) {

        public static final Ambiguous NONE = new Ambiguous(0, 0, 0, 0, 0, null);
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
     * One file's part of the run: {@code read} + {@code deletes} = the sum of the outcomes + {@code left}.
     *
     * @param otherShards records of the file that other shards deliver ({@code ferry.shard.count} > 1), passed over
     *                    unread: with {@code read} they make the file's records
     * @param snapshot what a snapshot file ({@code ferry.snapshot.pattern}) did about the keys it left out; absent for
     *                 any other file
     */
    @RegisterForReflection
    public record FileSummary(String file, String kind, long read, long deletes, long delivered, long unchanged,
            long deleted, long failed, long rejected, long givenUp, long left, boolean complete, long otherShards,
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
