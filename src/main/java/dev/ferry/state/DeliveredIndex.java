package dev.ferry.state;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Predicate;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.StringDataType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.ferry.core.Json;
import dev.ferry.ingest.RecordKeys;

/**
 * {@code state/delivered.mv}: for every key ferry delivered, the last version delivered: its content hash
 * (SHA-256 of key, newline, canonical JSON: what skip-unchanged compares), its idempotency key (what
 * {@code verify --repair} checks was not delivered again since it read it), the record (what verify
 * compares the API's copy with) and when it was delivered (what {@code ferry requeue} orders a rejection of the key
 * against). Kept in key order, so a reader can go on after the last key it handled
 * whatever was added or removed since.
 *
 * <p>An H2 MVStore file: a copy-on-write B-tree whose commits are atomic. A run calls {@link #delivered}
 * only after the API answered 2xx and {@link #commit} right before each checkpoint, so after a kill at any
 * moment the file opens and holds exactly the deliveries of some moment at or after the last commit: never
 * a version that was not delivered; possibly not the last deliveries, which the run sends again under the
 * same idempotency key. The page cache is fixed ({@value #CACHE_MB} MiB), so ten million keys live on disk,
 * not in the heap (BENCHMARKS.md). The content hash is kept whole (32 bytes): it is the SHA-256 that outside tools
 * recompute (docs/reference.md), and cutting it to 16 would save under a tenth of an entry, whose size is mostly the
 * record.
 *
 * <p>Beside the versions, the same file keeps the keys named by the snapshot file being delivered
 * ({@link SnapshotKeys}), committed with them.
 *
 * <p>One writer process at a time (the run, under the run lock) with a file lock on top; a reader
 * ({@code ferry verify}) opens it read-only for a moment at a time and gets {@link Busy} while a run has it.
 * Thread-safe: workers call {@link #delivered} concurrently while the reader thread calls {@link #get}.
 */
public final class DeliveredIndex implements AutoCloseable {

    public static final String FILE = "delivered.mv";
    /** The append-only ledger that ferry kept before this index; imported once, then renamed to {@link #IMPORTED}. */
    public static final String LEDGER = "delivered.ndjson";
    public static final String IMPORTED = "delivered.ndjson.imported";
    static final int CACHE_MB = 8;
    /** How long a run waits for a reader's moment with the file to end. */
    private static final long WRITER_WAIT_MILLIS = 10_000;
    private static final String MAP = "delivered";
    private static final int IMPORT_BATCH = 50_000;
    private static final int PAGE_BYTES = 4096;
    private static final int COMPACT_EVERY = 4;
    private static final int COMPACT_BELOW_FILL = 60;
    private static final int COMPACT_BYTES = 1 << 20;
    /** Changed pages (in the heap, as MVStore estimates them) that make {@link #delivered} commit at once. */
    private static final int COMMIT_ABOVE_BYTES = 4 << 20;
    private static final int HASH_BYTES = 32;
    /** Value layouts: hash, then the idempotency key as 32 raw bytes (it is a SHA-256 in hex) or as UTF-8 text. */
    private static final byte HEX_KEY = 1;
    private static final byte TEXT_KEY = 2;
    /** Set in the layout when the delivery time (epoch milliseconds, 8 bytes) follows the hash. */
    private static final byte TIMED = 0x10;
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The last delivered version of a key.
     *
     * @param deliveredAt when the API accepted it (to the millisecond; what orders it against a rejection of the key,
     *                    for {@code ferry requeue}), or null when unknown (imported from the old ledger)
     */
    public record Entry(String key, byte[] contentHash, String idempotencyKey, byte[] recordJson, Instant deliveredAt) {

        public ObjectNode record() {
            try {
                return (ObjectNode) Json.MAPPER.readTree(recordJson);
            } catch (IOException e) {
                throw new IllegalStateException("the index holds a record that is not JSON for " + key, e);
            }
        }
    }

    /** Another ferry process (a run, or verify reading) has the index open: try later. */
    public static final class Busy extends IOException {
        Busy(Path file) {
            super(file + " is open in another ferry process");
        }
    }

    private final MVStore store;
    private final MVMap<String, byte[]> versions;

    /** Commits so far, to compact every {@value #COMPACT_EVERY}th. */
    private int commits;
    /** Opened on first use: only a run marks and reads them, and a read-only store cannot create the map. */
    private AmbiguousKeys ambiguous;
    /** Opened on first use: only a run (writable) has a snapshot. */
    private SnapshotKeys snapshotKeys;

    private DeliveredIndex(MVStore store) {
        this.store = store;
        if (store.getFileStore() != null) {
            store.setRetentionTime(0);
        }
        this.versions = store.openMap(MAP,
                new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE)
                        .valueType(ByteArrayDataType.INSTANCE));
    }

    /**
     * Opens the index for a run, creating it (readable by its owner only) and importing the old
     * {@value #LEDGER} if there is one. Waits a few seconds if a reader has the file.
     */
    public static DeliveredIndex open(Path stateDir) throws IOException {
        return openWritable(stateDir, WRITER_WAIT_MILLIS);
    }

    /**
     * Opens the index to read it: an empty index when nothing was delivered yet (an old ledger that waits
     * for its import is imported first).
     *
     * @throws Busy while a run has the file open
     */
    public static DeliveredIndex openReadOnly(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (Files.exists(stateDir.resolve(LEDGER))) {
            openWritable(stateDir, 0).close();
        }
        if (!Files.exists(file) || Files.size(file) == 0) {
            return empty();
        }
        MVStore store;
        try {
            store = builder(file).readOnly().open();
        } catch (MVStoreException e) {
            throw locked(e) ? new Busy(file) : failure(file, e);
        }
        if (!store.hasMap(MAP)) { // created by a run that was killed before its first commit
            store.close();
            return empty();
        }
        return new DeliveredIndex(store);
    }

    private static DeliveredIndex empty() {
        return new DeliveredIndex(new MVStore.Builder().open()); // in memory
    }

    private static DeliveredIndex openWritable(Path stateDir, long waitMillis) throws IOException {
        Path file = stateDir.resolve(FILE);
        try {
            Files.createFile(file, FileModes.file());
        } catch (FileAlreadyExistsException existing) {
            // opened before
        }
        long giveUp = System.nanoTime() + waitMillis * 1_000_000;
        while (true) {
            try {
                DeliveredIndex index = new DeliveredIndex(builder(file).open());
                try {
                    index.importLedger(stateDir.resolve(LEDGER), stateDir.resolve(IMPORTED));
                } catch (IOException | RuntimeException e) {
                    index.store.closeImmediately();
                    throw e;
                }
                return index;
            } catch (MVStoreException e) {
                if (!locked(e)) {
                    throw failure(file, e);
                }
                if (System.nanoTime() - giveUp >= 0) {
                    throw new Busy(file);
                }
            }
            pause(); // a reader holds the file for a moment
        }
    }

    /**
     * Small LZF-compressed pages: with keys in no particular order every commit rewrites each page it touched,
     * so the page size is what a delivery costs on disk (16 KiB uncompressed pages wrote 10 times as much, and
     * a commit's chunk outgrew the heap). No background writer: only {@link #commit} writes, and fsyncs, so
     * space freed by one commit can be reused by the next at once (retention 0) without a power loss ever
     * finding the last synced version overwritten.
     */
    private static MVStore.Builder builder(Path file) {
        return new MVStore.Builder().fileName(file.toString()).cacheSize(CACHE_MB).pageSplitSize(PAGE_BYTES)
                .compress().autoCommitDisabled().autoCommitBufferSize(0);
    }

    public Optional<Entry> get(String key) {
        byte[] value = versions.get(key);
        return value == null ? Optional.empty() : Optional.of(decode(key, value));
    }

    /** True when the last version delivered of {@code key} has this content hash. */
    public boolean unchanged(String key, byte[] contentHash) {
        byte[] value = versions.get(key);
        return value != null && Arrays.equals(value, 1, 1 + HASH_BYTES, contentHash, 0, contentHash.length);
    }

    /** Records a version of {@code key} the API accepted at an unknown time (durable from the next {@link #commit}). */
    public void delivered(String key, byte[] contentHash, String idempotencyKey, byte[] recordJson)
            throws IOException {
        delivered(key, contentHash, idempotencyKey, recordJson, null);
    }

    /**
     * Records the version of {@code key} the API just accepted, at {@code deliveredAt} (kept to the millisecond; null
     * when unknown), durable from the next {@link #commit}.
     */
    public void delivered(String key, byte[] contentHash, String idempotencyKey, byte[] recordJson,
            Instant deliveredAt) throws IOException {
        if (contentHash.length != HASH_BYTES) {
            throw new IllegalArgumentException(
                    "a content hash has " + HASH_BYTES + " bytes, not " + contentHash.length);
        }
        byte[] value = encode(contentHash, deliveredAt, idempotencyKey, recordJson);
        try {
            versions.put(key, value);
        } catch (MVStoreException e) {
            throw failure(null, e);
        }
        commitIfLarge();
    }

    /**
     * Commits at once when the changes not yet committed take more than a few MiB of heap. A commit writes every
     * changed page into one buffer: kept small, it fits a small heap (a 24 MB one did not, at 10 million keys with
     * -Xmx160m); an early commit only makes deliveries (and snapshot keys) durable sooner.
     */
    void commitIfLarge() throws IOException {
        if (store.getUnsavedMemory() > COMMIT_ABOVE_BYTES) {
            commit();
        }
    }

    /**
     * The keys whose delivery met an ambiguous answer, to read back later: kept in this file, so they are committed
     * with the versions, before each checkpoint.
     */
    public synchronized AmbiguousKeys ambiguous() {
        if (ambiguous == null) {
            ambiguous = new AmbiguousKeys(store.openMap(AmbiguousKeys.MAP, new MVMap.Builder<String, byte[]>()
                    .keyType(StringDataType.INSTANCE).valueType(ByteArrayDataType.INSTANCE)));
        }
        return ambiguous;
    }

    /** The keys of the snapshot being delivered, in this same file (a run's index only). */
    public synchronized SnapshotKeys snapshotKeys() {
        if (snapshotKeys == null) {
            snapshotKeys = new SnapshotKeys(this, store, versions);
        }
        return snapshotKeys;
    }

    /** Forgets {@code key} (deleted at the API). */
    public void remove(String key) throws IOException {
        try {
            versions.remove(key);
        } catch (MVStoreException e) {
            throw failure(null, e);
        }
    }

    /** Makes every change so far durable (written and fsynced): called right before each checkpoint. */
    public synchronized void commit() throws IOException {
        try {
            if (++commits % COMPACT_EVERY == 0) {
                // live pages of mostly dead chunks move into this commit, so the file stays near its live size
                store.compact(COMPACT_BELOW_FILL, COMPACT_BYTES);
            }
            store.commit();
            store.sync();
        } catch (MVStoreException e) {
            throw failure(null, e);
        }
    }

    /**
     * Hands the entries after {@code afterKey} (from the first when null) to {@code action} in key order,
     * until it returns false.
     */
    public void forEachFrom(String afterKey, Predicate<Entry> action) {
        String from = afterKey == null ? null : versions.higherKey(afterKey);
        if (afterKey != null && from == null) {
            return;
        }
        Cursor<String, byte[]> cursor = versions.cursor(from);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!action.test(decode(key, cursor.getValue()))) {
                return;
            }
        }
    }

    public long size() {
        return versions.sizeAsLong();
    }

    /** How many keys sort after {@code afterKey} (all when null). */
    public long countAfter(String afterKey) {
        if (afterKey == null) {
            return size();
        }
        long index = versions.getKeyIndex(afterKey);
        long before = index >= 0 ? index + 1 : -(index + 1); // a missing key: where it would be
        return size() - before;
    }

    /** Imports the last line of every key from the ledger ferry kept before, then renames it. */
    private void importLedger(Path ledger, Path imported) throws IOException {
        if (!Files.exists(ledger)) {
            return;
        }
        // imported whenever the file is still there: a crash before the rename imports it again, which puts the
        // same versions; a run delivers nothing before open() returned
        try (BufferedReader in = Files.newBufferedReader(ledger, StandardCharsets.UTF_8)) {
            long lines = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                ObjectNode entry = completeLine(line);
                if (entry != null) {
                    String key = entry.get("key").asText();
                    ObjectNode record = (ObjectNode) entry.get("record");
                    delivered(key, RecordKeys.contentHash(key, record), entry.path("idempotencyKey").asText(),
                            Json.bytes(record));
                }
                if (++lines % IMPORT_BATCH == 0) {
                    commit(); // changes wait in the heap until committed
                }
            }
        }
        commit();
        AtomicFiles.move(ledger, imported);
    }

    /**
     * A complete ledger line ({@code {"key":…,"idempotencyKey":…,"record":{…}}}), or null for a line cut
     * short by a crash or otherwise unusable.
     */
    private static ObjectNode completeLine(String line) {
        try (JsonParser parser = Json.MAPPER.createParser(line)) {
            JsonNode node = parser.readValueAsTree();
            if (parser.nextToken() != null || !(node instanceof ObjectNode entry)) {
                return null;
            }
            JsonNode key = entry.get("key");
            boolean usable = key != null && key.isValueNode() && !key.isNull()
                    && entry.get("record") instanceof ObjectNode;
            return usable ? entry : null;
        } catch (IOException | RuntimeException halfWritten) {
            return null;
        }
    }

    private static byte[] encode(byte[] contentHash, Instant deliveredAt, String idempotencyKey, byte[] recordJson) {
        boolean hex = idempotencyKey.length() == 2 * HASH_BYTES && isLowerHex(idempotencyKey);
        byte[] text = hex ? null : idempotencyKey.getBytes(StandardCharsets.UTF_8);
        int keyBytes = hex ? HASH_BYTES : 4 + text.length;
        int timeBytes = deliveredAt == null ? 0 : Long.BYTES;
        ByteBuffer value = ByteBuffer.allocate(1 + HASH_BYTES + timeBytes + keyBytes + recordJson.length);
        value.put((byte) ((hex ? HEX_KEY : TEXT_KEY) | (deliveredAt == null ? 0 : TIMED))).put(contentHash);
        if (deliveredAt != null) {
            value.putLong(deliveredAt.toEpochMilli());
        }
        if (hex) {
            value.put(HEX.parseHex(idempotencyKey));
        } else {
            value.putInt(text.length).put(text);
        }
        return value.put(recordJson).array();
    }

    static Entry decode(String key, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte layout = in.get();
        byte[] hash = new byte[HASH_BYTES];
        in.get(hash);
        Instant deliveredAt = (layout & TIMED) != 0 ? Instant.ofEpochMilli(in.getLong()) : null;
        layout &= ~TIMED;
        String idempotencyKey;
        if (layout == HEX_KEY) {
            idempotencyKey = HEX.formatHex(value, in.position(), in.position() + HASH_BYTES);
            in.position(in.position() + HASH_BYTES);
        } else if (layout == TEXT_KEY) {
            int length = in.getInt();
            idempotencyKey = new String(value, in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
        } else {
            throw new IllegalStateException("the index holds an entry of unknown layout " + layout + " for " + key);
        }
        return new Entry(key, hash, idempotencyKey, Arrays.copyOfRange(value, in.position(), value.length),
                deliveredAt);
    }

    private static boolean isLowerHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean locked(MVStoreException e) {
        return e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED;
    }

    static IOException failure(Path file, MVStoreException e) {
        return new IOException((file == null ? "state/" + FILE : file.toString()) + ": " + e.getMessage(), e);
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for state/" + FILE);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (!store.isReadOnly()) {
                commit();
            }
            store.close();
        } catch (MVStoreException e) {
            throw failure(null, e);
        }
    }
}
