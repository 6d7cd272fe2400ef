package dev.ferry.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns parsed input of one file into what a reader hands out: a {@link SourceRecord} with its key and
 * idempotency key, or a {@link RecordParseException} naming the file, the lines and the reason. One place for the
 * key rules, whatever the format.
 */
final class SourceRecords {

    private final String file;
    private final String keyField;
    private final int maxKeyBytes;

    SourceRecords(String file, String keyField, int maxKeyBytes) {
        this.file = file;
        this.keyField = keyField;
        this.maxKeyBytes = maxKeyBytes;
    }

    /** @throws RecordKeys.UnusableKey when the record has no key it can be sent under: the caller rejects it */
    SourceRecord record(long line, long lastLine, long offset, ObjectNode record) throws RecordKeys.UnusableKey {
        String key = RecordKeys.keyOf(record, keyField, maxKeyBytes);
        return new SourceRecord(file, line, lastLine, offset, key, record, RecordKeys.idempotencyKey(key, record),
                file + ":" + line);
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
