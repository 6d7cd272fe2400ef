package dev.ferry.ingest;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One record on its way to the API.
 *
 * @param file           the file it is read from, as shown in messages (e.g. {@code orders-1.csv})
 * @param line           line number in that file where the record starts (1-based)
 * @param lastLine       line number where it ends: the same line but for a CSV row with line breaks in a quoted field
 * @param offset         byte offset where the record starts; the checkpoint position
 * @param key            the record's key ({@code ferry.record.key-field})
 * @param record         the record as JSON
 * @param idempotencyKey sent as {@code Idempotency-Key}; fixed from the first time the record was read
 * @param origin         {@code file:line} where the record was first ingested (differs from file:line on a replay)
 * @param replayed       what failed/ knows of a replayed record, or null for a record read from its source
 */
public record SourceRecord(String file, long line, long lastLine, long offset, String key, ObjectNode record,
        String idempotencyKey, String origin, Replayed replayed) {

    /**
     * A record read from failed/.
     *
     * @param runs          runs that tried to deliver it and failed (0: it followed an earlier record of its key)
     * @param firstFailedAt when it first went to failed/
     */
    public record Replayed(int runs, Instant firstFailedAt) {
    }

    /** Lines of the file this record accounts for. */
    public long lineCount() {
        return lastLine - line + 1;
    }
}
