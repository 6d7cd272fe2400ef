package dev.ferry.shape;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A record as the API gets it, with its key. The body, the content hash and the Idempotency-Key are all computed
 * from {@code record}, so a changed mapping sends what it changes.
 *
 * @param record the shaped record; the raw record itself when no step changed it, so neither may be modified
 * @param key    the key: {@code ferry.record.key} filled from the shaped record, or its {@code ferry.record.key-field}
 */
public record Shaped(ObjectNode record, String key) {
}
