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
     * The key: the field {@code keyField}, a string or a number, kept exactly as written.
     *
     * @throws RecordMaker.Unusable when the field is missing, blank, or neither a string nor a number
     */
    public static String keyOf(ObjectNode record, String keyField) throws RecordMaker.Unusable {
        JsonNode value = record.get(keyField);
        String key = value != null && (value.isTextual() || value.isNumber()) ? value.asText() : "";
        if (key.isBlank()) {
            throw new RecordMaker.Unusable("no usable key: field '" + keyField
                    + "' is missing, empty or not a string or number");
        }
        return key;
    }

    /**
     * Checks a key for the request path: one that is empty or only white space names nothing, {@code .} and
     * {@code ..} would address another path (a proxy resolves dot segments, percent-encoded ones too), one holding a lone
     * surrogate (an NDJSON {@code "\\ud800"}) has no UTF-8 form to put in a URL, and one longer than
     * {@code maxKeyBytes} UTF-8 bytes would make URLs that proxies and servers refuse.
     *
     * @throws RecordMaker.Unusable with the reason, naming the property
     */
    public static String usable(String key, int maxKeyBytes) throws RecordMaker.Unusable {
        if (key == null || key.isBlank()) {
            throw new RecordMaker.Unusable("no usable key: the key is empty");
        }
        if (key.equals(".") || key.equals("..")) { // encoded or not: nginx decodes %2E, then resolves dot segments
            throw new RecordMaker.Unusable("no usable key: '" + key + "' is a dot segment, which a proxy resolves "
                    + "to another path than the record's");
        }
        int half = loneSurrogate(key);
        if (half >= 0) { // UTF-8 has no bytes for it: its URL would be another key's (a '?' in its place)
            throw new RecordMaker.Unusable(String.format("no usable key: the key holds half a character "
                    + "(a lone UTF-16 surrogate, \\u%04X)", (int) key.charAt(half)));
        }
        // a char is 1 to 3 UTF-8 bytes: only a key longer than a third of the limit needs encoding to tell
        if (key.length() > maxKeyBytes / 3 && key.getBytes(StandardCharsets.UTF_8).length > maxKeyBytes) {
            throw new RecordMaker.Unusable("the key is longer than ferry.record.max-key-bytes (" + maxKeyBytes
                    + " bytes)");
        }
        return key;
    }

    /** The index of the first char of {@code key} that is half a surrogate pair, or -1. */
    private static int loneSurrogate(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The Idempotency-Key (docs/reference.md, Idempotency key and content hash): lowercase hex SHA-256 of the key, a
     * newline, the record's canonical JSON, a newline and the record's origin ({@link #origin}). The same record of the
     * same claimed file always carries the same key, across retries, runs, crashes and replays; equal content from
     * another line or another claim of the file carries another, so a value that goes A → B → A ends as A at an API
     * that honours the header.
     */
    public static String idempotencyKey(String key, ObjectNode record, String origin) {
        return idempotencyKey(key, Json.canonicalUtf8(record), origin);
    }

    /** {@link #idempotencyKey(String, ObjectNode, String)} of a record already in its canonical form. */
    public static String idempotencyKey(String key, byte[] canonicalJson, String origin) {
        return HEX.formatHex(sha256(key, canonicalJson, origin));
    }

    /**
     * The Idempotency-Key of the {@code DELETE} of {@code key} by the snapshot claimed as {@code claimId}: lowercase
     * hex SHA-256 of the key, {@code "\nDELETE\n"} and the claim id. The same delete carries the same key across
     * retries, crashes and replays; the next snapshot that leaves the key out (after it came back) sends another.
     */
    public static String deleteIdempotencyKey(String key, String claimId) {
        return sha256Hex(key + "\nDELETE\n" + claimId);
    }

    /** A record's origin: the claim id of its file and its (first) line, {@code <claim id>:<line>}. */
    public static String origin(String claimId, long line) {
        return claimId + ":" + line;
    }

    /**
     * The record's content hash: SHA-256 of the key, a newline and the record's canonical JSON (32 bytes).
     * Equal for two versions of a key exactly when their content is equal, wherever they came from: what
     * skip-unchanged compares with the last version delivered.
     */
    public static byte[] contentHash(String key, ObjectNode record) {
        return contentHash(key, Json.canonicalUtf8(record));
    }

    /** {@link #contentHash(String, ObjectNode)} of a record already in its canonical form. */
    public static byte[] contentHash(String key, byte[] canonicalJson) {
        return sha256(key, canonicalJson, null);
    }

    /** SHA-256 of the key, a newline, the canonical JSON and, unless null, a newline and the origin. */
    private static byte[] sha256(String key, byte[] canonicalJson, String origin) {
        MessageDigest sha256 = SHA_256.get();
        sha256.update(key.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(canonicalJson);
        if (origin != null) {
            sha256.update((byte) '\n');
            sha256.update(origin.getBytes(StandardCharsets.UTF_8));
        }
        return sha256.digest();
    }

    /** Lowercase hex SHA-256 of the text's UTF-8 bytes. */
    public static String sha256Hex(String text) {
        return HEX.formatHex(SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
