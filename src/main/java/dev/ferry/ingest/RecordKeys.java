package dev.ferry.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.Json;

/** Where a record's key and idempotency key come from. */
public final class RecordKeys {

    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: a provider lookup per record showed up in the reader's profile. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

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
        return sha256Hex(key + "\n" + Json.canonical(record));
    }

    /**
     * The record's content hash: SHA-256 of the key, a newline and the record's canonical JSON (32 bytes).
     * Equal for two versions of a key exactly when their content is equal, wherever they came from: what
     * skip-unchanged compares with the last version delivered.
     */
    public static byte[] contentHash(String key, ObjectNode record) {
        return SHA_256.get().digest((key + "\n" + Json.canonical(record)).getBytes(StandardCharsets.UTF_8));
    }

    /** Lowercase hex SHA-256 of the text's UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return HEX.formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
