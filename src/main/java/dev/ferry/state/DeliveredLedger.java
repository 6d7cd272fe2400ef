package dev.ferry.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.function.Consumer;

import com.carrotsearch.hppc.LongIntHashMap;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.SourceRecord;

/**
 * {@code state/delivered.ndjson}: for every key ferry delivered, the last version sent (its
 * idempotency key and the record), for {@code ferry verify}. Runs append a line per delivered record
 * (synced with the checkpoints) and compact the file at their end, under the run lock, to one line
 * per key: its size follows the number of keys, not of records.
 */
public final class DeliveredLedger implements AutoCloseable {

    public static final String FILE = "delivered.ndjson";

    /** One delivered version. */
    public record Entry(String key, String idempotencyKey, ObjectNode record) {
    }

    private final AppendLog log;
    private final Path file;

    private DeliveredLedger(Path file, AppendLog log) {
        this.file = file;
        this.log = log;
    }

    public static DeliveredLedger open(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        return new DeliveredLedger(file, AppendLog.of(file));
    }

    public void delivered(SourceRecord record) throws IOException {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("key", record.key());
        line.put("idempotencyKey", record.idempotencyKey());
        line.set("record", record.record());
        log.append(Json.write(line));
    }

    public void sync() throws IOException {
        log.sync();
    }

    /** Rewrites the file with the last line of every key, in the order of those last lines. */
    public void compact() throws IOException {
        log.sync();
        if (!Files.exists(file)) {
            return;
        }
        LastLines last = LastLines.of(file);
        Path compacted = AtomicFiles.createTemp(file);
        int lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(compacted, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine(), lineNumber++) {
                String key = keyOf(line);
                if (key != null && last.isLast(key, lineNumber)) {
                    out.write(line);
                    out.newLine();
                }
            }
        }
        log.close();
        AtomicFiles.commit(compacted, file);
        log.continueFile(FILE, Long.MAX_VALUE);
    }

    /**
     * Streams the last version of every key, in ledger order (without changing the file, so it can
     * run beside a run). Memory: see {@link LastLines}.
     */
    public static void forEachLatest(Path stateDir, Consumer<Entry> action) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return;
        }
        LastLines last = LastLines.of(file);
        int lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine(), lineNumber++) {
                String key = keyOf(line);
                if (key != null && last.isLast(key, lineNumber)) {
                    JsonNode entry = Json.read(line);
                    action.accept(new Entry(key, entry.path("idempotencyKey").asText(),
                            (ObjectNode) entry.get("record")));
                }
            }
        }
    }

    /**
     * Line number of the last line of every key, by a 64-bit hash of the key: about 20 bytes a key, so
     * a million keys fit in a small heap (two keys sharing a hash, about 1 in 10^7 for a million keys,
     * would keep only the later one's line).
     */
    /**
     * Which line is the last of its key, found in one pass with little memory: each key's hash marks a
     * bit set of 16 bits per line; a key whose bit is already marked (a key met again, or a collision with
     * another key, at most 1 in 16) gets its line number into a map. A line is the last of its key when
     * the map does not know the key (its only line) or holds this line. Memory: 2 bytes per line and about
     * 30 per repeated key, instead of a map entry for every key.
     */
    private static final class LastLines {

        private final BitSet seen;
        private final int bits;
        private final LongIntHashMap repeated = new LongIntHashMap();

        private LastLines(long lines) {
            this.bits = (int) Math.min(Integer.MAX_VALUE, Math.max(64, lines * 16));
            this.seen = new BitSet(bits);
        }

        static LastLines of(Path file) throws IOException {
            long lines = countLines(file);
            if (lines > Integer.MAX_VALUE) {
                throw new IOException(file + " has " + lines + " lines, more than a ledger can index");
            }
            LastLines last = new LastLines(lines);
            int lineNumber = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine(), lineNumber++) {
                    String key = keyOf(line);
                    if (key != null) {
                        last.mark(hash(key), lineNumber);
                    }
                }
            }
            return last;
        }

        private void mark(long hash, int lineNumber) {
            int bit = (int) Long.remainderUnsigned(hash, bits);
            if (seen.get(bit)) {
                repeated.put(hash, lineNumber);
            } else {
                seen.set(bit);
            }
        }

        boolean isLast(String key, int lineNumber) {
            long hash = hash(key);
            return !repeated.containsKey(hash) || repeated.get(hash) == lineNumber;
        }
    }

    private static long countLines(Path file) throws IOException {
        long lines = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return lines + 1; // a last line without its newline
    }

    /** FNV-1a, 64 bits, over the key's UTF-8 bytes. */
    static long hash(String key) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** The key of a ledger line, or null for a line cut short by a crash. */
    /**
     * The key of a complete ledger line ({@code {"key":…,"idempotencyKey":…,"record":{…}}}), or null for a
     * line cut short by a crash. Streamed, not read into a tree: compaction reads every line twice.
     */
    private static String keyOf(String line) {
        try (JsonParser parser = Json.MAPPER.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String key = null;
            boolean hasRecord = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("key".equals(field)) {
                    key = value.isScalarValue() && value != JsonToken.VALUE_NULL ? parser.getText() : null;
                } else if ("record".equals(field)) {
                    hasRecord = value == JsonToken.START_OBJECT;
                }
                parser.skipChildren();
            }
            boolean complete = parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null;
            return complete && hasRecord ? key : null;
        } catch (IOException | RuntimeException halfWritten) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
