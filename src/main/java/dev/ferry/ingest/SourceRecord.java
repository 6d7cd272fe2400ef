package dev.ferry.ingest;

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
 */
public record SourceRecord(String file, long line, long lastLine, long offset, String key, ObjectNode record,
        String idempotencyKey, String origin) {

    /** Lines of the file this record accounts for. */
    public long lineCount() {
        return lastLine - line + 1;
    }
}
