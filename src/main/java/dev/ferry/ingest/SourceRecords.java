package dev.ferry.ingest;

import java.util.function.Supplier;

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

    /** @param raw the input as read, asked for only when the record is rejected */
    SourceRecord record(long line, long lastLine, long offset, Supplier<String> raw, ObjectNode record)
            throws RecordParseException {
        String key;
        try {
            key = RecordKeys.keyOf(record, keyField, maxKeyBytes);
        } catch (RecordKeys.UnusableKey unusable) {
            throw reject(line, lastLine, offset, raw.get(), unusable.getMessage());
        }
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
