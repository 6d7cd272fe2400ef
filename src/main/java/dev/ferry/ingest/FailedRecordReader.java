package dev.ferry.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.Json;

/**
 * Reads a failed/ file for replay. Each line keeps the record's original key, idempotency key and
 * source, so a replayed record is the same request as its first attempt: a {@code DELETE} when the line's
 * {@code operation} is {@value #DELETE}, and sent even if unchanged when its {@code resend} is true.
 * A last line cut short by a crash (no newline, not JSON) is skipped: its record is still in the
 * source the crashed run was reading, behind that run's checkpoint.
 */
public final class FailedRecordReader extends LineRecordReader {

    private static final int NO_LIMIT = Integer.MAX_VALUE - 16;
    /** The {@code operation} of a failed/ line that deletes its key (absent: the record is stored). */
    public static final String DELETE = "delete";

    public FailedRecordReader(Path path, String file, long offset, long linesBefore)
            throws IOException, UnreadableFileException {
        super(path, new SourceRecords(file, null, SourceFormat.NDJSON, ReaderSettings.FAILED_ENTRIES), NO_LIMIT,
                offset, linesBefore);
    }

    @Override
    public SourceRecord read() throws RecordParseException, IOException {
        LineReader.Line line = nextLine();
        if (line == null) {
            return null;
        }
        String text = text(line);
        JsonNode entry;
        try {
            entry = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            if (!line.terminated()) {
                skipped(); // half-written by a crash
                return null;
            }
            throw reject(line, text, "malformed failed/ entry: " + e.getOriginalMessage());
        }
        JsonNode record = entry.get("record");
        String key = entry.path("key").asText("");
        String idempotencyKey = entry.path("idempotencyKey").asText("");
        if (!(record instanceof ObjectNode object) || key.isEmpty() || idempotencyKey.isEmpty()) {
            throw reject(line, text, "failed/ entry lacks record, key or idempotencyKey");
        }
        // lines of releases before runs were counted: one run tried them, when they failed
        Instant failedAt = instant(entry.path("failedAt").asText(""));
        Instant first = entry.hasNonNull("firstFailedAt") ? instant(entry.path("firstFailedAt").asText("")) : failedAt;
        int runs = entry.has("runs") ? entry.path("runs").asInt(1) : 1;
        boolean delete = DELETE.equals(entry.path("operation").asText(""));
        return new SourceRecord(records.file(), line.number(), line.number(), line.offset(), key, object,
                idempotencyKey, entry.path("source").asText(records.file() + ":" + line.number()),
                new SourceRecord.Replayed(runs, first, entry.path("resend").asBoolean(false)),
                delete ? null : RecordKeys.contentHash(key, object),
                delete ? SourceRecord.Operation.DELETE : SourceRecord.Operation.UPSERT);
    }

    /** An instant as failed/ writes it; the epoch when it is missing or unreadable (the line is then old). */
    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException unreadable) {
            return Instant.EPOCH;
        }
    }
}
