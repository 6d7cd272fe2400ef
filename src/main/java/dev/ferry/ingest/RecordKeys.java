package dev.ferry.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a record's key and idempotency key come from. */
public final class RecordKeys {

    private RecordKeys() {
    }

    /**
     * The key: the field {@code keyField}, a non-blank string or a number.
     *
     * @return the key, or null when the record has no usable key
     */
    public static String keyOf(ObjectNode record, String keyField) {
        JsonNode value = record.get(keyField);
        if (value == null || !(value.isTextual() || value.isNumber())) {
            return null;
        }
        String key = value.asText();
        return key.isBlank() ? null : key;
    }

    /**
     * Lowercase hex SHA-256 of the key, a newline and the record's canonical JSON: the same record
     * always carries the same Idempotency-Key, across retries, runs, crashes and replays.
     */
    public static String idempotencyKey(String key, ObjectNode record) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(key.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(Json.canonical(record).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
