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
     * The key: the field {@code keyField}, a string or a number, kept exactly as written. A key that is empty or
     * only white space names nothing, and one longer than {@code maxKeyBytes} UTF-8 bytes would make URLs that
     * proxies and servers refuse (it goes into the request path).
     *
     * @throws UnusableKey with the reason, naming the field or the property
     */
    public static String keyOf(ObjectNode record, String keyField, int maxKeyBytes) throws UnusableKey {
        JsonNode value = record.get(keyField);
        String key = value != null && (value.isTextual() || value.isNumber()) ? value.asText() : "";
        if (key.isBlank()) {
            throw new UnusableKey("no usable key: field '" + keyField + "' is missing, empty or not a string or number");
        }
        // a char is 1 to 3 UTF-8 bytes: only a key longer than a third of the limit needs encoding to tell
        if (key.length() > maxKeyBytes / 3 && key.getBytes(StandardCharsets.UTF_8).length > maxKeyBytes) {
            throw new UnusableKey("the key is longer than ferry.record.max-key-bytes (" + maxKeyBytes + " bytes)");
        }
        return key;
    }

    /**
     * Lowercase hex SHA-256 of the key, a newline and the record's canonical JSON: the same record
     * always carries the same Idempotency-Key, across retries, runs, crashes and replays.
     */
    public static String idempotencyKey(String key, ObjectNode record) {
        return sha256Hex(key + "\n" + Json.canonical(record));
    }

    /** Lowercase hex SHA-256 of the text's UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return HEX.formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Why a record has no key it can be sent under; the reader turns it into a reject with the line. */
    public static final class UnusableKey extends Exception {

        UnusableKey(String reason) {
            super(reason, null, false, false); // a rejected row, not a bug: no stack trace to fill
        }
    }
}
