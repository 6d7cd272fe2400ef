package dev.ferry.ingest;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record on its way to the API.
 *
 * @param file           the file it is read from, as shown in messages (e.g. {@code orders-1.csv})
 * @param line           line number in that file where the record starts (1-based); 0 for a snapshot's delete
 * @param lastLine       line number where it ends: the same line but for a CSV row with line breaks in a quoted field
 * @param offset         byte offset where the record starts; the checkpoint position (-1 for a snapshot's delete)
 * @param key            the record's key ({@code ferry.record.key-field})
 * @param record         the record as JSON (of a delete: the last version delivered, what failed/ shows)
 * @param idempotencyKey sent as {@code Idempotency-Key}; fixed from the first time the record was read
 * @param origin         {@code file:line} where the record was first ingested (differs from file:line on a replay)
 * @param replayed       what failed/ knows of a replayed record, or null for a record read from its source
 * @param contentHash    SHA-256 of key, newline and canonical JSON ({@link RecordKeys#contentHash}), computed once;
 *                       null for a delete
 * @param operation      what the record asks of the API
 */
public record SourceRecord(String file, long line, long lastLine, long offset, String key, ObjectNode record,
        String idempotencyKey, String origin, Replayed replayed, byte[] contentHash, Operation operation) {

    /** What a record asks of the API. */
    public enum Operation {
        /** Store this version ({@code ferry.target.method}, PUT by default). */
        UPSERT,
        /** Remove the key ({@code DELETE}): a snapshot no longer names it. */
        DELETE
    }

    /**
     * A record read from failed/.
     *
     * @param runs          runs that tried to deliver it and failed (0: it followed an earlier record of its key)
     * @param firstFailedAt when it first went to failed/
     * @param resend        sent even when it equals the last version delivered: a repair of what the API holds
     */
    public record Replayed(int runs, Instant firstFailedAt, boolean resend) {
    }

    /**
     * The delete of a key that snapshot {@code file} no longer names.
     *
     * @param lastDelivered the last version delivered of the key (shown in failed/ should the delete fail)
     */
    public static SourceRecord delete(String file, String key, ObjectNode lastDelivered, String idempotencyKey) {
        return new SourceRecord(file, 0, 0, -1, key, lastDelivered, idempotencyKey, file + ":delete", null, null,
                Operation.DELETE);
    }

    /** Lines of the file this record accounts for. */
    public long lineCount() {
        return lastLine - line + 1;
    }

    public boolean deletes() {
        return operation == Operation.DELETE;
    }

    /** Whether skip-unchanged may settle it without a request: an upsert that is no repair. */
    public boolean skippable() {
        return operation == Operation.UPSERT && (replayed == null || !replayed.resend());
    }
}
