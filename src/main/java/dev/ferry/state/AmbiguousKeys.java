package dev.ferry.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Predicate;

import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStoreException;

/**
 * The keys to read back because a request for them may have been applied without ferry knowing it, so the API may
 * apply an old version after a newer one (docs/reference.md, Ambiguous deliveries): a map in
 * {@code state/delivered.mv} from key to when to read it back (its due time) and the Idempotency-Key of the request
 * that may land late. The map lives in the index's store, so a mark is committed with the versions delivered,
 * before the checkpoint that passes its record: after a kill, the index, the marks and the checkpoints agree.
 *
 * <p>Marking a key again keeps the later due time, and the Idempotency-Key only while every mark names the same
 * one: a key whose last delivered version is that very request cannot end older than it (the request that may land
 * late carries the same content), so only keys with no single such request, or with a newer version delivered since,
 * need a read-back. Entries stay until a reader removes them; one marked again meanwhile stays
 * ({@link #remove}). Thread-safe (workers mark while the run's thread reads).
 */
public final class AmbiguousKeys {

    static final String MAP = "ambiguous";
    private static final int DUE_BYTES = Long.BYTES;

    /**
     * One key to read back.
     *
     * @param due            when the key may be read back: every request that may land late has landed by then
     * @param idempotencyKey the Idempotency-Key of the request(s) that may land late; empty when they were several
     *                       with different keys
     */
    public record Entry(String key, Instant due, Optional<String> idempotencyKey) {
    }

    private final MVMap<String, byte[]> marks;

    AmbiguousKeys(MVMap<String, byte[]> marks) {
        this.marks = marks;
    }

    /**
     * Notes that the request of {@code key} with {@code idempotencyKey} may land late, until {@code due} (durable from
     * the index's next commit).
     *
     * @return the entry as it now stands
     */
    public synchronized Entry mark(String key, String idempotencyKey, Instant due) throws IOException {
        byte[] before = marks.get(key);
        Entry entry = new Entry(key, due.truncatedTo(ChronoUnit.MILLIS), Optional.of(idempotencyKey)); // as stored
        if (before != null) {
            Entry old = decode(key, before);
            entry = new Entry(key, old.due().isAfter(entry.due()) ? old.due() : entry.due(),
                    old.idempotencyKey().equals(entry.idempotencyKey()) ? entry.idempotencyKey() : Optional.empty());
        }
        try {
            marks.put(key, encode(entry));
        } catch (MVStoreException e) {
            throw new IOException("state/" + DeliveredIndex.FILE + ": " + e.getMessage(), e);
        }
        return entry;
    }

    /**
     * Hands the entries due by {@code now} to {@code action}, in key order after {@code afterKey} (from the first when
     * null), until it returns false.
     */
    public void forEachDue(Instant now, String afterKey, Predicate<Entry> action) {
        String from = afterKey == null ? null : marks.higherKey(afterKey);
        if (afterKey != null && from == null) {
            return;
        }
        Cursor<String, byte[]> cursor = marks.cursor(from);
        while (cursor.hasNext()) {
            String key = cursor.next();
            Entry entry = decode(key, cursor.getValue());
            if (!entry.due().isAfter(now) && !action.test(entry)) {
                return;
            }
        }
    }

    /** Removes the entry of {@code seen.key()} if it is still as seen; false when it was marked again since. */
    public synchronized boolean remove(Entry seen) throws IOException {
        byte[] now = marks.get(seen.key());
        if (now == null || !decode(seen.key(), now).equals(seen)) {
            return false;
        }
        try {
            marks.remove(seen.key());
        } catch (MVStoreException e) {
            throw new IOException("state/" + DeliveredIndex.FILE + ": " + e.getMessage(), e);
        }
        return true;
    }

    public long size() {
        return marks.sizeAsLong();
    }

    /** The earliest due time of any entry; empty when there is none. A scan: the list is short. */
    public Optional<Instant> earliestDue() {
        Instant earliest = null;
        Cursor<String, byte[]> cursor = marks.cursor(null);
        while (cursor.hasNext()) {
            String key = cursor.next();
            Instant due = decode(key, cursor.getValue()).due();
            earliest = earliest == null || due.isBefore(earliest) ? due : earliest;
        }
        return Optional.ofNullable(earliest);
    }

    /** The due time in epoch milliseconds, then the Idempotency-Key as UTF-8 (none: several). */
    private static byte[] encode(Entry entry) {
        byte[] key = entry.idempotencyKey().orElse("").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(DUE_BYTES + key.length).putLong(entry.due().toEpochMilli()).put(key).array();
    }

    private static Entry decode(String key, byte[] value) {
        Instant due = Instant.ofEpochMilli(ByteBuffer.wrap(value).getLong());
        String idempotencyKey = new String(value, DUE_BYTES, value.length - DUE_BYTES, StandardCharsets.UTF_8);
        return new Entry(key, due, idempotencyKey.isEmpty() ? Optional.empty() : Optional.of(idempotencyKey));
    }
}
