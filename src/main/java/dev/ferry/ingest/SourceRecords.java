package dev.ferry.ingest;

import java.util.HexFormat;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;

/**
 * Turns parsed input of one claimed file into what a reader hands out: a {@link SourceRecord} made by the
 * {@link RecordMaker} (shaping, key) with its idempotency key, or a {@link RecordParseException} naming the file,
 * the lines and the reason. One place for the key rules, whatever the format.
 */
final class SourceRecords {

    private final String file;
    private final String claimId;
    private final SourceFormat format;
    private final RecordMaker maker;
    private final int maxKeyBytes;

    /** @param claimId the claim of the file (its checkpoint keeps it): part of every record's origin */
    SourceRecords(String file, String claimId, SourceFormat format, ReaderSettings settings) {
        this.file = file;
        this.claimId = claimId;
        this.format = format;
        this.maker = settings.maker();
        this.maxKeyBytes = settings.maxKeyBytes();
    }

    /** @throws RecordMaker.Unusable when no record can be sent of the fields: the caller rejects them */
    SourceRecord record(long line, long lastLine, long offset, ObjectNode fields) throws RecordMaker.Unusable {
        RecordMaker.Made made = maker.make(fields, format);
        String key = RecordKeys.usable(made.key(), maxKeyBytes);
        byte[] canonical = Json.canonicalUtf8(made.record()); // once: the idempotency key and content hash share it
        byte[] contentHash = RecordKeys.contentHash(key, canonical);
        String idempotencyKey = claimId == null // claimed by a release without claim ids: keep the keys it gave
                ? HexFormat.of().formatHex(contentHash) // SHA-256 of key, newline, canonical JSON: the same recipe
                : RecordKeys.idempotencyKey(key, canonical, RecordKeys.origin(claimId, line));
        return new SourceRecord(file, line, lastLine, offset, key, made.record(), idempotencyKey, file + ":" + line,
                null, contentHash, SourceRecord.Operation.UPSERT);
    }

    RecordParseException reject(long line, long lastLine, long offset, String raw, String reason) {
        return new RecordParseException(file, line, lastLine, offset, raw, reason);
    }

    /** The reject of a file without a single row or line: it accounts for no line. */
    RecordParseException emptyFile(long offset) {
        return reject(1, 0, offset, "", "file is empty");
    }

    String file() {
        return file;
    }
}
