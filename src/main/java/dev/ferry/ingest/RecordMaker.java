package dev.ferry.ingest;

import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Makes the record ferry sends out of the fields a reader parsed, and its key: the {@code ferry.record.*} shaping, when
 * it is configured, else the record as read, keyed by {@code ferry.record.key-field}. The body, the key, the content
 * hash and the idempotency key all come from what this makes. Implementations are immutable and thread-safe.
 */
public interface RecordMaker {

    /** The record to send, and its key (non-blank). */
    record Made(ObjectNode record, String key) {
    }

    /**
     * @param fields what the reader parsed; not modified
     * @param format the file's format (CSV cells are all text)
     * @throws Unusable when no record can be made of them: the reader rejects the line(s) with the reason
     */
    Made make(ObjectNode fields, SourceFormat format) throws Unusable;

    /**
     * The columns of the file the key is read from, so that a CSV header without one of them sets the whole file
     * aside; empty when only the records can tell (a transform makes the key's fields).
     */
    Set<String> keyColumns();

    /** The record as read, keyed by the field {@code keyField}. */
    static RecordMaker keyField(String keyField) {
        return new RecordMaker() {
            @Override
            public Made make(ObjectNode fields, SourceFormat format) throws Unusable {
                return new Made(fields, RecordKeys.keyOf(fields, keyField));
            }

            @Override
            public Set<String> keyColumns() {
                return Set.of(keyField);
            }
        };
    }

    /** Why no record can be made of a line; the reader turns it into a reject naming the line. */
    final class Unusable extends Exception {

        public Unusable(String reason) {
            super(reason, null, false, false); // a rejected row, not a bug: no stack trace to fill
        }
    }
}
